import {
  Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn,
} from 'typeorm';
import { AssetPrice } from './AssetPrice';
import { User } from './User';

/** A holding of one user: how much of which ticker, at what price, in which currency. */
@Entity({ name: 'assets' })
export class Asset {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  // Deleting a user deletes their assets.
  @ManyToOne(() => User, (user) => user.assets, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user!: User;

  @Column({ name: 'name', type: 'varchar', length: 255 })
  name!: string;

  @Index()
  @Column({ name: 'ticker', type: 'varchar', length: 10 })
  ticker!: string;

  // numeric keeps exact decimals; pg returns them as strings.
  @Column({ name: 'quantity', type: 'numeric', precision: 18, scale: 8 })
  quantity!: string;

  @Column({ name: 'price', type: 'numeric', precision: 18, scale: 2 })
  price!: string;

  @Column({ name: 'currency', type: 'varchar', length: 3, default: 'USD' })
  currency!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToMany(() => AssetPrice, (price) => price.asset)
  prices!: AssetPrice[];
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Asset } from './Asset';

/**
 * A price observation of an asset. The composite index serves "latest price of an asset":
 * `WHERE asset_id = $1 ORDER BY recorded_at DESC LIMIT 1`.
 */
@Entity({ name: 'asset_prices' })
@Index(['asset', 'recordedAt'])
export class AssetPrice {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @ManyToOne(() => Asset, (asset) => asset.prices, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'asset_id' })
  asset!: Asset;

  @Column({ name: 'price', type: 'numeric', precision: 18, scale: 8 })
  price!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}

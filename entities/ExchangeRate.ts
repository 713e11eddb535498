import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** How many units of `quote_currency` one unit of `base_currency` buys, as of a day. One rate per pair and day. */
@Entity({ name: 'exchange_rates' })
@Unique(['baseCurrency', 'quoteCurrency', 'asOf'])
@Check('"rate" > 0')
export class ExchangeRate {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ name: 'base_currency', type: 'varchar', length: 3 })
  baseCurrency!: string;

  @Column({ name: 'quote_currency', type: 'varchar', length: 3 })
  quoteCurrency!: string;

  @Column({ name: 'rate', type: 'numeric', precision: 20, scale: 10 })
  rate!: string;

  @Column({ name: 'as_of', type: 'date' })
  asOf!: string;
}

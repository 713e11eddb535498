/**
 * Source text of the stall benchmark's two entities: `bench_accounts` (a small lookup table, FK target) and
 * `bench_items` (the big table every plan kind changes). An `ItemsShape` says which variant of
 * `bench_items` to write: the shared "before" shape, or a kind's "after" shape that differs in one aspect.
 *
 * The column definitions decide what TypeORM's drop-and-add does to a type change: `title` is nullable (its
 * values are lost), `qty` has a default (every value becomes 0), `price` has neither (the migration fails).
 */

export interface ItemsShape {
  readonly qtyIndex: boolean;
  readonly skuUnique: boolean;
  readonly accountForeignKey: boolean;
  readonly qtyCheck: boolean;
  readonly categoryNotNull: boolean;
  readonly requiredRegion: boolean;
  readonly legacyNameRenamed: boolean;
  readonly titleLength: number;
  readonly qtyType: 'integer' | 'bigint';
  readonly priceScale: { readonly precision: number; readonly scale: number };
  readonly statusDefault: string;
}

export const BEFORE_SHAPE: ItemsShape = {
  qtyIndex: false,
  skuUnique: false,
  accountForeignKey: false,
  qtyCheck: false,
  categoryNotNull: false,
  requiredRegion: false,
  legacyNameRenamed: false,
  titleLength: 100,
  qtyType: 'integer',
  priceScale: { precision: 12, scale: 2 },
  statusDefault: 'new',
};

export const ITEMS_TABLE = 'bench_items';
export const ACCOUNTS_TABLE = 'bench_accounts';

export const ACCOUNT_SOURCE = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: '${ACCOUNTS_TABLE}' })
export class BenchAccount {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 50 })
  name!: string;
}
`;

export function itemsEntitySource(shape: ItemsShape): string {
  const { precision, scale } = shape.priceScale;
  const decorators = [`@Entity({ name: '${ITEMS_TABLE}' })`];
  if (shape.qtyCheck) decorators.push('@Check(`"qty" >= 0`)');
  const relation = shape.accountForeignKey
    ? `
  @ManyToOne(() => BenchAccount, { nullable: false })
  @JoinColumn({ name: 'account_id' })
  account!: BenchAccount;
`
    : '';
  const renamed = shape.legacyNameRenamed
    ? `@Column({ name: 'display_name', type: 'varchar', length: 100, nullable: true })
  displayName!: string | null;`
    : `@Column({ name: 'legacy_name', type: 'varchar', length: 100, nullable: true })
  legacyName!: string | null;`;
  const region = shape.requiredRegion
    ? `
  @Column({ type: 'varchar', length: 20 })
  region!: string;
`
    : '';
  return `import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BenchAccount } from './bench-account';

${decorators.join('\n')}
export class BenchItem {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'account_id', type: 'integer' })
  accountId!: number;
${relation}
  @Column({ type: 'varchar', length: 40${shape.skuUnique ? ', unique: true' : ''} })
  sku!: string;
${shape.qtyIndex ? '\n  @Index()' : ''}
  @Column({ type: '${shape.qtyType}', default: 0 })
  qty!: ${shape.qtyType === 'bigint' ? 'string' : 'number'};

  @Column({ type: 'numeric', precision: ${precision}, scale: ${scale} })
  price!: string;

  @Column({ type: 'varchar', length: ${shape.titleLength}, nullable: true })
  title!: string | null;

  @Column({ type: 'integer', nullable: ${shape.categoryNotNull ? 'false' : 'true'} })
  category!: number${shape.categoryNotNull ? '' : ' | null'};

  @Column({ type: 'varchar', length: 20, default: '${shape.statusDefault}' })
  status!: string;

  ${renamed}
${region}
  @Column({ type: 'integer', default: 0 })
  hits!: number;

  @Column({ name: 'touched_at', type: 'timestamptz', nullable: true })
  touchedAt!: Date | null;
}
`;
}

/** The two entity files of a project with the given `bench_items` shape. */
export function stallEntityFiles(shape: ItemsShape): Map<string, string> {
  return new Map([
    ['bench-account.ts', ACCOUNT_SOURCE],
    ['bench-item.ts', itemsEntitySource(shape)],
  ]);
}

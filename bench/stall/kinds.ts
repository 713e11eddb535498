/**
 * The plan kinds the stall benchmark applies, each one change to `bench_items` (see items-entity-source.ts):
 * the "after" shape, the decision flags pgshift needs for it, and the column whose data must survive.
 */
import { BEFORE_SHAPE, ITEMS_TABLE, type ItemsShape } from './items-entity-source';

export interface AffectedColumn {
  /** Column before the change; null for a column the change adds. */
  readonly before: string | null;
  /** Column after the change. */
  readonly after: string;
  /** Compare numerically (a scale change prints `1.50` as `1.5000`, same value). */
  readonly numeric?: boolean;
}

export interface StallKind {
  readonly id: string;
  readonly label: string;
  readonly after: ItemsShape;
  readonly decisionArgs: readonly string[];
  readonly affected: AffectedColumn;
  /**
   * What the new version of the app also writes on insert once it is deployed, i.e. before a plan's
   * contract files run (expand → deploy → contract). Only a new required column needs it.
   */
  readonly newAppInsert?: Readonly<Record<string, string | number>>;
}

function kind(id: string, label: string, change: Partial<ItemsShape>, affected: AffectedColumn, decisionArgs: string[] = [], newAppInsert?: Record<string, string | number>): StallKind {
  return { id, label, after: { ...BEFORE_SHAPE, ...change }, decisionArgs, affected, newAppInsert };
}

export const STALL_KINDS: readonly StallKind[] = [
  kind('add-index', 'add index', { qtyIndex: true }, { before: 'qty', after: 'qty' }),
  kind('add-unique', 'add unique', { skuUnique: true }, { before: 'sku', after: 'sku' }),
  kind('add-fk', 'add foreign key', { accountForeignKey: true }, { before: 'account_id', after: 'account_id' }),
  kind('add-check', 'add check', { qtyCheck: true }, { before: 'qty', after: 'qty' }),
  kind('set-not-null', 'set NOT NULL', { categoryNotNull: true }, { before: 'category', after: 'category' }),
  kind('add-required-column', 'add required column + backfill', { requiredRegion: true }, { before: null, after: 'region' },
    ['--backfill', `${ITEMS_TABLE}.region='eu'`], { region: 'eu' }),
  kind('rename-column', 'rename column', { legacyNameRenamed: true }, { before: 'legacy_name', after: 'display_name' },
    ['--rename', `${ITEMS_TABLE}.legacy_name=display_name`]),
  kind('widen-varchar', 'widen varchar(100→200)', { titleLength: 200 }, { before: 'title', after: 'title' }),
  kind('int-to-bigint', 'integer → bigint', { qtyType: 'bigint' }, { before: 'qty', after: 'qty' }),
  kind('numeric-scale', 'numeric(12,2) → (14,4)', { priceScale: { precision: 14, scale: 4 } }, { before: 'price', after: 'price', numeric: true }),
  kind('change-default', 'change default', { statusDefault: 'open' }, { before: 'status', after: 'status' }),
];

export function selectKinds(ids: readonly string[] | undefined): StallKind[] {
  if (!ids || ids.length === 0) return [...STALL_KINDS];
  return ids.map((id) => {
    const found = STALL_KINDS.find((k) => k.id === id);
    if (!found) throw new Error(`unknown kind "${id}"; known: ${STALL_KINDS.map((k) => k.id).join(', ')}`);
    return found;
  });
}

/**
 * The gate of a type-change contract (`alter-column-type:…`). The swap keeps every name, so old code
 * keeps working after it and there is no old shape to watch; what can go wrong is the data: the swap
 * renames the shadow column in, and a row whose shadow value is not the converted old value (the
 * backfill has not finished, the sync trigger was dropped or disabled, someone wrote the shadow column
 * by hand) would silently change. So the proof is: the sync trigger is in place and enabled, and every
 * row's shadow column equals the old value cast exactly as the trigger casts it (castTo: through text
 * when an enum is on either side). One read-only scan; a few sample keys when it fails.
 */
import type { Client } from 'pg';
import { copyTriggerName, shadowColumnName } from '../planner/rules/alter-column-type';
import { ident, qualified } from '../sql/quote';

export const SAMPLE_KEYS = 5;

export type TriggerState = 'enabled' | 'disabled' | 'missing';

export interface TypeSwapProof {
  /** `public.users.age`. */
  readonly column: string;
  readonly shadow: string;
  /** The conversion compared with, as SQL (`"age"::bigint`). */
  readonly conversion: string;
  readonly trigger: { readonly name: string; readonly state: TriggerState };
  /** Rows whose shadow value differs from the converted old value; null when the shadow column is gone. */
  readonly differing: number | null;
  readonly sampleKeys: readonly string[];
  /** The conversion raised (a value the new type rejects): the message. */
  readonly failed?: string;
}

interface Located {
  schema: string;
  table: string;
  column: string;
  shadow_type: string | null;
  via_text: boolean;
  primary_key: string[] | null;
}

/**
 * The table and column an id names. Found in the catalog rather than by splitting the id at its dots:
 * a schema, table or column name may itself hold one.
 */
async function locate(client: Client, id: string): Promise<Located | null> {
  const { rows } = await client.query<Omit<Located, 'shadow_type' | 'via_text'>>(
    `SELECT n.nspname AS schema, c.relname AS "table", a.attname AS column,
            (SELECT array_agg(k.attname::text ORDER BY array_position(i.indkey::int2[], k.attnum))
               FROM pg_index i JOIN pg_attribute k ON k.attrelid = i.indrelid AND k.attnum = ANY (i.indkey)
              WHERE i.indrelid = c.oid AND i.indisprimary) AS primary_key
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname || '.' || c.relname || '.' || a.attname = $1 AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  // The shadow column's type is the new type; an enum on either side is cast through text (castTo).
  const found = await client.query<{ shadow_type: string | null; via_text: boolean }>(
    `SELECT format_type(s.atttypid, s.atttypmod) AS shadow_type,
            EXISTS (SELECT FROM pg_type t LEFT JOIN pg_type e ON e.oid = t.typelem
                     WHERE t.oid IN (s.atttypid, o.atttypid) AND (t.typtype = 'e' OR e.typtype = 'e')) AS via_text
       FROM pg_attribute o LEFT JOIN pg_attribute s ON s.attrelid = o.attrelid AND s.attname = $2 AND s.attnum > 0 AND NOT s.attisdropped
      WHERE o.attrelid = $1::regclass AND o.attname = $3`,
    [qualified({ schema: row.schema, name: row.table }), shadowColumnName(row.column), row.column],
  );
  return { ...row, shadow_type: found.rows[0]?.shadow_type ?? null, via_text: found.rows[0]?.via_text ?? false };
}

async function triggerState(client: Client, table: string, name: string): Promise<TriggerState> {
  const { rows } = await client.query<{ tgenabled: string }>(
    'SELECT tgenabled FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = $2', [table, name],
  );
  if (rows.length === 0) return 'missing';
  return rows[0]!.tgenabled === 'D' ? 'disabled' : 'enabled';
}

function keyExpression(primaryKey: readonly string[] | null): string {
  if (!primaryKey || primaryKey.length === 0) return 'ctid::text';
  return primaryKey.length === 1 ? `${ident(primaryKey[0]!)}::text` : `ROW(${primaryKey.map(ident).join(', ')})::text`;
}

/** The proof for one `alter-column-type:` contract id, or null when its column is not in this database. */
export async function proveTypeSwap(client: Client, id: string): Promise<TypeSwapProof | null> {
  const where = await locate(client, id.slice(id.indexOf(':') + 1));
  if (!where) return null;
  const table = qualified({ schema: where.schema, name: where.table });
  const shadow = shadowColumnName(where.column);
  const trigger = copyTriggerName({ schema: where.schema, name: where.table }, where.column);
  const state = await triggerState(client, table, trigger);
  const base = { column: `${where.schema}.${where.table}.${where.column}`, shadow, trigger: { name: trigger, state } };
  if (where.shadow_type === null) return { ...base, conversion: '', differing: null, sampleKeys: [] };
  const old = ident(where.column);
  const conversion = where.via_text ? `${old}::text::${where.shadow_type}` : `${old}::${where.shadow_type}`;
  const sql = `SELECT key, count(*) OVER () AS total FROM (
       SELECT ${keyExpression(where.primary_key)} AS key FROM ${table}
        WHERE ${ident(shadow)} IS DISTINCT FROM ${conversion}) AS differing
      ORDER BY key LIMIT ${SAMPLE_KEYS}`;
  // The gates read outside any transaction: a value the conversion rejects fails this query alone.
  let rows: { key: string; total: string }[];
  try {
    rows = (await client.query<{ key: string; total: string }>(sql)).rows;
  } catch (error) {
    return { ...base, conversion, differing: null, sampleKeys: [], failed: (error as Error).message };
  }
  return { ...base, conversion, differing: rows.length === 0 ? 0 : Number(rows[0]!.total), sampleKeys: rows.map((r) => r.key) };
}

/** Why the swap is not proven safe; empty when it is. */
export function unprovenBecause(proof: TypeSwapProof | null): string[] {
  if (proof === null) return ['the column is not in this database (its expand was not applied here)'];
  const reasons: string[] = [];
  if (proof.trigger.state !== 'enabled') reasons.push(`the sync trigger ${proof.trigger.name} is ${proof.trigger.state}: writes since then may not have reached ${proof.shadow}`);
  if (proof.failed !== undefined) reasons.push(`${proof.conversion} fails on some row: ${proof.failed}`);
  else if (proof.differing === null) reasons.push(`the shadow column ${proof.shadow} is missing`);
  else if (proof.differing > 0) {
    const more = proof.differing > proof.sampleKeys.length ? ', …' : '';
    reasons.push(`${proof.differing} row${proof.differing === 1 ? '' : 's'} whose ${proof.shadow} differs from ${proof.conversion} (keys ${proof.sampleKeys.join(', ')}${more})`);
  }
  return reasons;
}

/** The reviewer line of what was verified (check, status, the gate's refusal). */
export function proofLine(proof: TypeSwapProof | null): string {
  if (proof === null || proof.differing === null) return 'data not verified';
  const rows = proof.differing === 0 ? `every row's ${proof.shadow} equals ${proof.conversion}` : `${proof.differing} row(s) of ${proof.shadow} differ from ${proof.conversion}`;
  return `verified by data: ${rows}; sync trigger ${proof.trigger.name} ${proof.trigger.state}`;
}

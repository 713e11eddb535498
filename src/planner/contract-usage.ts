/**
 * Evidence that an old shape is still in use, kept by the database itself between an expand and its
 * contract (issue #15). Each expand that leaves an old name for old code (a renamed column, a renamed
 * table) adds one row to `pgshift_contract_usage` in the table's schema:
 *
 *  - writes: the expand's trigger calls `pgshift_contract_note_write(contract)` when a write arrives
 *    through the old shape; that stamps `last_old_write`, at most once a second (a write within the
 *    second, or one whose transaction holds the row, is skipped — the stamp is fresh anyway), so old
 *    code under load costs one indexed UPDATE per second, never a wait on the bookkeeping row;
 *  - reads: where pg_stat_statements is loaded, `pgshift_contract_reads(table, column)` lists the
 *    statements that name the old shape and their calls; the expand stores a first snapshot and the
 *    gate (src/contract-gate) compares later ones with it.
 *
 * The table and both functions are bookkeeping (the `pgshift_` prefix: introspection never reports them)
 * shared by every contract of the schema, so they are created if missing and never dropped; a contract's
 * own row goes with its expand's down or with the contract itself.
 */
import type { QualifiedName } from '../model/schema';
import { statement } from '../sql/statement';
import { dollarTag, ident, literal, qualified } from '../sql/quote';
import { sha1Hex } from './sha1';
import type { Statement } from '../sql/statement';

export const USAGE_TABLE = 'pgshift_contract_usage';
export const NOTE_WRITE_FUNCTION = 'pgshift_contract_note_write';
export const READS_FUNCTION = 'pgshift_contract_reads';

/** The old shape one pending contract retires, as the database can watch it. */
export interface WatchedShape {
  /** The pending contract's id (`rename-column:public.users.name`). */
  readonly contract: string;
  /** The schema the bookkeeping lives in: the table's. */
  readonly schema: string;
  /** The table name old code uses (for a table rename: the old name). */
  readonly table: string;
  /** The column old code uses, for a column rename; null for a table rename. */
  readonly column: string | null;
}

const at = (schema: string, name: string) => qualified({ schema, name });

export function shapeText(shape: WatchedShape): string {
  return shape.column === null ? `table ${shape.schema}.${shape.table}` : `column ${shape.schema}.${shape.table}.${shape.column}`;
}

/** A regex (PostgreSQL ARE) matching `name` as a whole word: `users` but not `users_archive`. */
export function wordPattern(name: string): string {
  return `\\m${name.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}\\M`;
}

function tableStatement(schema: string): Statement {
  return statement(
    `CREATE TABLE IF NOT EXISTS ${at(schema, USAGE_TABLE)} (\n` +
    '  contract text PRIMARY KEY,\n' +
    '  shape text NOT NULL,\n' +
    '  watch_table text NOT NULL,\n' +
    '  watch_column text,\n' +
    '  expanded_at timestamptz NOT NULL DEFAULT now(),\n' +
    '  last_old_write timestamptz,\n' +
    "  reads_snapshots jsonb NOT NULL DEFAULT '[]'\n" +
    ')',
    null, null,
  );
}

/**
 * SECURITY DEFINER: the application's role writes the table and fires the trigger, but need not be
 * allowed to write pgshift's bookkeeping. All it can do through this function is mark a contract as
 * used now, which only ever delays a contract.
 *
 * plpgsql, not sql: PostgreSQL before 18 plans a SQL-language function's body again on every call from
 * a trigger, which made the stamp cost ~0.2 ms per old-shape write (bench:usage: 6–8× a plain write
 * through a renamed table's view); plpgsql keeps its plans for the session. The lock-free look first
 * is the path of nearly every call (the stamp is less than a second old): no row lock is even tried.
 */
function noteWriteStatement(schema: string): Statement {
  const table = at(schema, USAGE_TABLE);
  const stale = "(u.last_old_write IS NULL OR u.last_old_write < now() - interval '1 second')";
  const body = [
    '',
    'BEGIN',
    `  IF NOT EXISTS (SELECT FROM ${table} u WHERE u.contract = p_contract AND ${stale}) THEN RETURN; END IF;`,
    `  UPDATE ${table} SET last_old_write = now()`,
    `   WHERE contract = (SELECT u.contract FROM ${table} u WHERE u.contract = p_contract AND ${stale} FOR UPDATE SKIP LOCKED);`,
    'END',
    '',
  ].join('\n');
  const tag = dollarTag('pgshift', body);
  return statement(
    `CREATE OR REPLACE FUNCTION ${at(schema, NOTE_WRITE_FUNCTION)}(p_contract text) RETURNS void\n` +
    `LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS ${tag}${body}${tag}`,
    null, null,
  );
}

/**
 * The statements of this database that name `p_table` (and `p_column`, when given) as whole words:
 * `{queryid: [calls, query]}`, or NULL when pg_stat_statements cannot tell (not installed, not
 * preloaded, or this role may not see other roles' query texts). Only top-level DML counts; pgshift's
 * own statements (they all say "pgshift") do not.
 */
function readsStatement(schema: string): Statement {
  const body = [
    '',
    'DECLARE',
    '  nsp name;',
    '  result jsonb;',
    'BEGIN',
    "  SELECT n.nspname INTO nsp FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements';",
    '  IF nsp IS NULL THEN RETURN NULL; END IF;',
    "  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role('pg_read_all_stats', 'MEMBER') THEN RETURN NULL; END IF;",
    "  EXECUTE format('SELECT coalesce(jsonb_object_agg(queryid::text, jsonb_build_array(calls, left(query, 300))), ''{}''::jsonb)'",
    "    ' FROM (SELECT queryid, sum(calls)::bigint AS calls, min(query) AS query FROM %I.pg_stat_statements'",
    "    ' WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())'",
    "    ' AND query ~* ''^\\s*(select|insert|update|delete|with|merge|copy|table)\\M'' AND query !~* ''pgshift'''",
    "    ' AND query ~* $1 AND ($2 IS NULL OR query ~* $2) GROUP BY queryid) s', nsp)",
    '    INTO result',
    "    USING '\\m' || regexp_replace(p_table, '([^[:alnum:]_])', '\\\\\\1', 'g') || '\\M',",
    "          '\\m' || regexp_replace(p_column, '([^[:alnum:]_])', '\\\\\\1', 'g') || '\\M';",
    '  RETURN result;',
    'EXCEPTION WHEN OTHERS THEN',
    '  -- Installed but not in shared_preload_libraries: the view raises. Reads are then unverified.',
    '  RETURN NULL;',
    'END',
    '',
  ].join('\n');
  const tag = dollarTag('pgshift', body);
  return statement(
    `CREATE OR REPLACE FUNCTION ${at(schema, READS_FUNCTION)}(p_table text, p_column text) RETURNS jsonb\n` +
    `LANGUAGE plpgsql AS ${tag}${body}${tag}`,
    null, null,
  );
}

/** The expand's statements that start watching `shape`: the bookkeeping (if missing) and its row. */
export function startWatching(shape: WatchedShape): Statement[] {
  const table = at(shape.schema, USAGE_TABLE);
  const column = shape.column === null ? 'NULL' : literal(shape.column);
  const snapshot = `jsonb_build_array(jsonb_build_object('at', now(), 'statements', ${at(shape.schema, READS_FUNCTION)}(${literal(shape.table)}, ${column})))`;
  const row = statement(
    `INSERT INTO ${table} (contract, shape, watch_table, watch_column, reads_snapshots)\n` +
    `VALUES (${literal(shape.contract)}, ${literal(shapeText(shape))}, ${literal(shape.table)}, ${column}, ${snapshot})\n` +
    'ON CONFLICT (contract) DO UPDATE SET shape = EXCLUDED.shape, watch_table = EXCLUDED.watch_table, watch_column = EXCLUDED.watch_column,\n' +
    '  expanded_at = now(), last_old_write = NULL, reads_snapshots = EXCLUDED.reads_snapshots',
    null, null,
  );
  return [tableStatement(shape.schema), noteWriteStatement(shape.schema), readsStatement(shape.schema), row];
}

/** Removes the contract's row (the expand's down; the contract itself once the old shape is gone). */
export function stopWatching(shape: Pick<WatchedShape, 'contract' | 'schema'>): Statement {
  return statement(`DELETE FROM ${at(shape.schema, USAGE_TABLE)} WHERE contract = ${literal(shape.contract)}`, null, null);
}

/** The session setting that remembers, per contract, the second this session last noted a write in. */
export function notedSetting(contract: string): string {
  return `pgshift.noted_${sha1Hex(contract).slice(0, 16)}`;
}

/**
 * The plpgsql line a trigger runs when a write arrived through the old shape. A session calls the
 * bookkeeping at most once per second of its transactions' start (remembered in a session setting, which
 * a rolled-back transaction takes back with it): the call itself — a SECURITY DEFINER function, a look at
 * the row — is what old code under load would otherwise pay on every write (bench:usage).
 */
export function noteOldWrite(shape: Pick<WatchedShape, 'contract' | 'schema'>): string {
  const setting = literal(notedSetting(shape.contract));
  const second = "to_char(now(), 'YYYYMMDDHH24MISS')";
  return `IF current_setting(${setting}, true) IS DISTINCT FROM ${second} THEN PERFORM ${at(shape.schema, NOTE_WRITE_FUNCTION)}(${literal(shape.contract)}); PERFORM set_config(${setting}, ${second}, false); END IF;`;
}

export function watchTriggerName(table: QualifiedName): string {
  return `pgshift_watch_${table.name}`.slice(0, 63);
}

/**
 * A table rename's old name lives on as an auto-updatable view, and such a view fires the *base table's*
 * triggers, never its own. So the renamed table gets a statement-level trigger (once per statement, not
 * per row) that asks whether the client's statement names the old table: that is a write through the view.
 */
export function viewWriteWatch(renamed: QualifiedName, shape: WatchedShape): { create: Statement[]; drop: Statement[] } {
  const name = watchTriggerName({ schema: renamed.schema, name: shape.table });
  const fn = at(renamed.schema, name);
  const body = [
    'BEGIN',
    `  IF current_query() ~* ${literal(wordPattern(shape.table))} THEN`,
    `    ${noteOldWrite(shape)}`,
    '  END IF;',
    '  RETURN NULL;',
    'END',
  ].join('\n');
  const tag = dollarTag('pgshift_trigger', body);
  return {
    create: [
      statement(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${tag}\n${body}\n${tag}`, null, null),
      // CREATE TRIGGER takes SHARE ROW EXCLUSIVE (writes wait) for an instant.
      statement(`CREATE TRIGGER ${ident(name)} AFTER INSERT OR UPDATE OR DELETE ON ${qualified(renamed)} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`, 'SHARE ROW EXCLUSIVE', renamed),
    ],
    drop: [
      statement(`DROP TRIGGER IF EXISTS ${ident(name)} ON ${qualified(renamed)}`, 'ACCESS EXCLUSIVE', renamed),
      statement(`DROP FUNCTION IF EXISTS ${fn}()`, null, null),
    ],
  };
}

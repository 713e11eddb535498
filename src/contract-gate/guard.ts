/**
 * The gate that travels with the migration (issue #15): a contract step's file starts with a guard, a
 * DO block that reads `pgshift_contract_usage` itself, so whichever runner executes the file —
 * golang-migrate's, TypeORM's `DataSource.runMigrations`, `psql -f` — refuses it while a write arrived
 * through the old shape within the quiet period recorded when the file was written. pgshift's own `up`
 * gates with more evidence (reads, how long it has watched) right before the file, then tells the
 * guard so through a session setting (GATE_SETTING), which is also the documented way past it for
 * another runner. `--force-contract` at generation writes no guard (the header says so).
 *
 * Only writes are the guard's evidence: reads need snapshots compared over time, and "watched for less
 * than the quiet period" would refuse every database built from scratch, where the expand and the
 * contract run one right after the other with nothing using the old shape.
 */
import type { Step } from '../planner/step';
import { USAGE_TABLE } from '../planner/contract-usage';
import { statement, type Statement } from '../sql/statement';
import { arrayText, dollarTag, literal } from '../sql/quote';
import { isWatchedContract } from './evidence';
import { formatSpan } from './quiet-for';

/** Set (to GATE_PASSED) for the session by `pgshift up` once its own gate let the file through. */
export const GATE_SETTING = 'pgshift.contract_gate';
export const GATE_PASSED = 'passed';

/** The guard for the watched contracts among `ids`; null when none is watched. */
export function guardStatement(ids: readonly string[], quietForMs: number): Statement | null {
  const watched = ids.filter(isWatchedContract);
  if (watched.length === 0) return null;
  const quiet = formatSpan(quietForMs);
  const hint = `deploy code that no longer uses the old shape and wait; or write the contract again with pgshift gen diff --contract --force-contract (recorded in its header), or run it with pgshift up --force-contract, or SET ${GATE_SETTING} = '${GATE_PASSED}' in this session`;
  const body = [
    'DECLARE',
    `  quiet constant interval := ${quietForMs} * interval '1 millisecond';`,
    '  id text;',
    '  nsp name;',
    '  shape text;',
    '  last_write timestamptz;',
    'BEGIN',
    `  IF current_setting(${literal(GATE_SETTING)}, true) = ${literal(GATE_PASSED)} THEN RETURN; END IF;`,
    `  FOREACH id IN ARRAY ${literal(arrayText(watched))}::text[] LOOP`,
    '    shape := NULL;',
    '    -- The session\'s own schema first (a tenant\'s, by search_path), as pgshift\'s gate reads it.',
    '    FOR nsp IN SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace',
    `                WHERE c.relname = ${literal(USAGE_TABLE)} AND c.relkind = 'r' ORDER BY n.nspname = current_schema() DESC, n.nspname LOOP`,
    `      EXECUTE format('SELECT shape, last_old_write FROM %I.${USAGE_TABLE} WHERE contract = $1', nsp) INTO shape, last_write USING id;`,
    '      EXIT WHEN shape IS NOT NULL;',
    '    END LOOP;',
    '    IF shape IS NULL THEN',
    `      RAISE EXCEPTION 'pgshift contract gate: no usage record of % in this database (its expand was not applied here, or by a pgshift that did not record usage): nothing shows the old shape unused', id`,
    `        USING HINT = ${literal(hint)};`,
    '    END IF;',
    '    IF last_write > clock_timestamp() - quiet THEN',
    `      RAISE EXCEPTION 'pgshift contract gate: % (old shape %) was written through at %, within the quiet period ${quiet} this contract was written with', id, shape, last_write`,
    `        USING HINT = ${literal(hint)};`,
    '    END IF;',
    '  END LOOP;',
    'END',
  ].join('\n');
  const tag = dollarTag('pgshift_guard', body);
  return statement(`DO ${tag}\n${body}\n${tag}`, null, null);
}

/** The steps with their guard as the first statement of the up (steps finishing no watched contract as they are). */
export function guardedSteps(steps: readonly Step[], quietForMs: number): Step[] {
  return steps.map((step) => {
    const guard = guardStatement(step.contracts ?? [], quietForMs);
    return guard === null ? step : { ...step, up: [guard, ...step.up] };
  });
}

/** Whether a step got a guard: the contract header says what it checks. */
export function isGuarded(step: Step): boolean {
  return (step.contracts ?? []).some(isWatchedContract);
}

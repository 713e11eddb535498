/**
 * The data checks a generated file asks for: its header's `-- pgshift precheck: <json>` lines, written
 * by src/emit/render-file.ts. Only the leading comment block is read (a line inside the SQL is never a
 * check), like `-- planned for PostgreSQL N+`. A hand-written file without them is checked for nothing.
 */
import { PgshiftError } from '../../errors';
import { PRECHECK_PREFIX, type Precheck, type PrecheckKind } from '../../planner/precheck';

const KINDS: readonly PrecheckKind[] = ['unique', 'not-null', 'foreign-key', 'check', 'narrowing'];
const LINE = `-- ${PRECHECK_PREFIX}`;

export function prechecksOf(fileName: string, sql: string): Precheck[] {
  const checks: Precheck[] = [];
  for (const raw of sql.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('--')) break;
    if (!line.startsWith(LINE)) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.slice(LINE.length));
    } catch {
      parsed = null;
    }
    const kind = (parsed as { kind?: unknown } | null)?.kind;
    const table = (parsed as { table?: { schema?: unknown; name?: unknown } } | null)?.table;
    if (!KINDS.includes(kind as PrecheckKind) || typeof table?.schema !== 'string' || typeof table.name !== 'string') {
      throw new PgshiftError('MIGRATIONS_DIR', `${fileName}: unreadable data check in its header: ${line.slice(0, 120)}`, {
        hint: 'restore the line as pgshift wrote it (git checkout), or delete it to run the file unchecked (nothing has been run)',
      });
    }
    checks.push(parsed as Precheck);
  }
  return checks;
}

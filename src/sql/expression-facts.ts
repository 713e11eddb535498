/**
 * What the pure planner can tell about a user's SQL expression without a server: whether it is a plain
 * constant, and whether it names a column of the table. Both answers are conservative: when unsure, say
 * "not constant" and "references a column", which picks the slower but always-correct plan.
 */

/** A literal (string, number, boolean), optionally cast: `'anonymous'`, `0`, `'{}'::jsonb`, `true`. */
const CONSTANT = /^(?:'(?:[^']|'')*'|[+-]?\d+(?:\.\d+)?|true|false)(?:\s*::\s*"?[a-z_][a-z0-9_ ]*"?(?:\(\d+(?:\s*,\s*\d+)?\))?(?:\[\])?)*$/i;

export function isConstantExpression(sql: string): boolean {
  return CONSTANT.test(sql.trim());
}

/** Identifiers outside string literals: `"Quoted"` as written, bare words folded to lower case. */
function identifiers(sql: string): string[] {
  const withoutStrings = sql.replace(/'(?:[^']|'')*'/g, "''");
  const out: string[] = [];
  for (const match of withoutStrings.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g)) {
    out.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!.toLowerCase());
  }
  return out;
}

export function referencesAnyColumn(sql: string, columns: readonly string[]): boolean {
  const names = new Set(columns);
  return identifiers(sql).some((id) => names.has(id));
}

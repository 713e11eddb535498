/**
 * Finishing an interrupted CREATE INDEX CONCURRENTLY: the catalog says how far the build got. No index:
 * it never started. INVALID: the build was cut off (dropped and built again by the file's re-run). VALID:
 * the server finished the build after the runner died — it counts as applied only if it is the index the
 * file describes, checked by building the file's statement on an empty temporary copy of the table and
 * comparing PostgreSQL's own rendering of both (pg_get_indexdef), inside a transaction rolled back after.
 */
import type { Client } from 'pg';
import { tokenize } from './sql-lexer';

export type IndexState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'invalid'; readonly name: string }
  | { readonly kind: 'valid'; readonly name: string; readonly matches: boolean; readonly definition: string };

const PROBE_TABLE = 'pgshift_probe_table';
const PROBE_INDEX = 'pgshift_probe_index';

export async function inspectIndex(client: Client, table: string, index: string, statementText: string): Promise<IndexState> {
  const { rows } = await client.query<{ oid: number; name: string; valid: boolean; definition: string }>(
    `SELECT c.oid, c.oid::regclass::text AS name, i.indisvalid AND i.indisready AS valid, pg_get_indexdef(c.oid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname = $1 AND i.indrelid = to_regclass($2)`,
    [index, table],
  );
  const found = rows[0];
  if (!found) return { kind: 'absent' };
  if (!found.valid) return { kind: 'invalid', name: found.name };
  const probe = probeStatement(statementText, PROBE_TABLE, PROBE_INDEX);
  let matches = false;
  if (probe) {
    await client.query('BEGIN');
    try {
      await client.query(`CREATE TEMP TABLE ${PROBE_TABLE} (LIKE ${table}) ON COMMIT DROP`);
      await client.query(probe);
      const { rows: defs } = await client.query<{ probe: string }>(`SELECT pg_get_indexdef('pg_temp.${PROBE_INDEX}'::regclass) AS probe`);
      matches = sameIndex(defs[0]!.probe, found.definition);
    } catch {
      matches = false; // cannot confirm: treated as "not the file's index"
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
  }
  return { kind: 'valid', name: found.name, matches, definition: found.definition };
}

/** Two pg_get_indexdef texts describe the same index apart from its name and table. */
export function sameIndex(a: string, b: string): boolean {
  const shape = (def: string) => {
    const using = def.indexOf(' USING ');
    return using < 0 ? null : `${def.startsWith('CREATE UNIQUE ') ? 'unique' : 'plain'}${def.slice(using)}`;
  };
  const left = shape(a);
  return left !== null && left === shape(b);
}

/**
 * The file's `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] [name] ON [ONLY] table …` as a plain
 * CREATE INDEX of `probeIndex` on `probeTable`; null when the statement does not have that shape.
 */
export function probeStatement(statementText: string, probeTable: string, probeIndex: string): string | null {
  const tokens = tokenize(statementText).filter((t) => t.kind !== 'comment');
  const isWord = (k: number, value: string) => tokens[k]?.kind === 'word' && tokens[k]!.value === value;
  const end = (k: number) => tokens[k]!.start + tokens[k]!.text.length;
  const edits: Array<{ from: number; to: number; text: string }> = [];
  let i = 1;
  if (!isWord(0, 'CREATE')) return null;
  if (isWord(i, 'UNIQUE')) i++;
  if (!isWord(i, 'INDEX') || !isWord(i + 1, 'CONCURRENTLY')) return null;
  edits.push({ from: tokens[i + 1]!.start, to: end(i + 1), text: '' });
  i += 2;
  if (isWord(i, 'IF') && isWord(i + 1, 'NOT') && isWord(i + 2, 'EXISTS')) {
    edits.push({ from: tokens[i]!.start, to: end(i + 2), text: '' });
    i += 3;
  }
  if (isWord(i, 'ON')) {
    edits.push({ from: tokens[i]!.start, to: tokens[i]!.start, text: `${probeIndex} ` });
  } else {
    edits.push({ from: tokens[i]!.start, to: end(i), text: probeIndex });
    i++;
  }
  if (!isWord(i, 'ON')) return null;
  i++;
  if (isWord(i, 'ONLY')) i++;
  const first = i;
  while (tokens[i] && (tokens[i]!.kind === 'word' || tokens[i]!.kind === 'quoted-ident')) {
    if (tokens[i + 1]?.text !== '.') break;
    i += 2;
  }
  if (!tokens[i] || (tokens[i]!.kind !== 'word' && tokens[i]!.kind !== 'quoted-ident')) return null;
  edits.push({ from: tokens[first]!.start, to: end(i), text: probeTable });
  let out = statementText;
  for (const edit of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, edit.from) + edit.text + out.slice(edit.to);
  return out.replace(/;\s*$/, '');
}

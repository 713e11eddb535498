/**
 * Contract work as planner data: what an expand leaves for a later `gen diff --contract`, which diff
 * changes it explains in the meantime (so `check` and `gen diff` do not re-plan them), and the shape
 * of its record in the migrations folder, checked when read back — the folder is edited by people and
 * merged by git, so a record is input, not trusted state. Pure: the files themselves are emit's.
 */
import { CHANGE_KINDS, type Change, type ChangeKind } from '../diff/change';
import type { QualifiedName } from '../model/schema';
import type { Fragment } from './fragment';

/** Identifies a diff change that a pending contract step will make disappear. */
export interface ChangeMatcher {
  readonly kind: ChangeKind;
  readonly table: QualifiedName;
  readonly column?: string;
}

/** The matcher of a change to `table` (its name only: a record holds no more of the table). */
export function covering(kind: ChangeKind, table: QualifiedName, column?: string): ChangeMatcher {
  return { kind, table: { schema: table.schema, name: table.name }, ...(column === undefined ? {} : { column }) };
}

/** Contract work recorded at expand time and emitted by `gen diff --contract`. */
export interface PendingContract {
  readonly id: string;
  readonly summary: string;
  readonly covers: readonly ChangeMatcher[];
  readonly fragments: readonly Fragment[];
}

/** A pending contract as its record holds it: `targetMajor` is the major the expand was planned for. */
export interface RecordedContract extends PendingContract {
  readonly expandVersion: number;
  readonly targetMajor?: number;
}

function changedColumn(change: Change): string | undefined {
  if ('columnName' in change) return change.columnName;
  if ('column' in change) return change.column.name;
  if (change.kind === 'AlterColumnType' || change.kind === 'AlterColumnIdentity' || change.kind === 'RenameColumn') return change.to.name;
  return undefined;
}

/** Names compared part by part: `a.b` in schema `s` is not table `b` in schema `s.a`. */
function matches(matcher: ChangeMatcher, change: Change): boolean {
  if (matcher.kind !== change.kind || !('table' in change)) return false;
  if (matcher.table.schema !== change.table.schema || matcher.table.name !== change.table.name) return false;
  return matcher.column === undefined || changedColumn(change) === matcher.column;
}

/** Splits diff changes into those a pending contract explains and the rest. */
export function partitionByContracts(changes: readonly Change[], pending: readonly PendingContract[]): { covered: Change[]; rest: Change[] } {
  const covered: Change[] = [];
  const rest: Change[] = [];
  for (const change of changes) {
    if (pending.some((p) => p.covers.some((m) => matches(m, change)))) covered.push(change);
    else rest.push(change);
  }
  return { covered, rest };
}

/** The major to name in the contract files' headers: the newest the expands were planned for (unknown: none). */
export function contractTargetMajor(pending: readonly RecordedContract[]): number | undefined {
  if (pending.length === 0 || pending.some((p) => p.targetMajor === undefined)) return undefined;
  return Math.max(...pending.map((p) => p.targetMajor!));
}

// ── reading a record back ────────────────────────────────────────────────────────────────────────

const KINDS = new Set<string>(CHANGE_KINDS);
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * A matcher's table: `{schema, name}`, or the `schema.table` string records held before names were
 * kept apart (split at the first dot: those records were written for schemas without one).
 */
function tableOf(value: unknown): QualifiedName | null {
  if (isObject(value) && isString(value.schema) && isString(value.name)) return { schema: value.schema, name: value.name };
  if (!isString(value)) return null;
  const dot = value.indexOf('.');
  return dot > 0 ? { schema: value.slice(0, dot), name: value.slice(dot + 1) } : null;
}

function matcherOf(value: unknown): ChangeMatcher | string {
  if (!isObject(value) || !isString(value.kind) || !KINDS.has(value.kind)) return 'a "covers" entry without a known change kind';
  const table = tableOf(value.table);
  if (!table) return `a "covers" entry (${value.kind}) without a table`;
  if (value.column !== undefined && !isString(value.column)) return `a "covers" entry (${value.kind}) whose column is not a name`;
  return { kind: value.kind as ChangeKind, table, ...(isString(value.column) ? { column: value.column } : {}) };
}

function contractOf(value: unknown, index: number): RecordedContract | string {
  const where = `pending[${index}]`;
  if (!isObject(value)) return `${where} is not an object`;
  if (!isString(value.id) || value.id === '') return `${where} has no id`;
  if (!isString(value.summary)) return `${where} (${value.id}) has no summary`;
  if (!Number.isSafeInteger(value.expandVersion) || (value.expandVersion as number) < 0) return `${where} (${value.id}) has no expandVersion`;
  if (value.targetMajor !== undefined && !Number.isSafeInteger(value.targetMajor)) return `${where} (${value.id}) has a targetMajor that is not a major version`;
  if (!Array.isArray(value.covers)) return `${where} (${value.id}) has no "covers" list`;
  if (!Array.isArray(value.fragments) || !value.fragments.every((f) => isObject(f) && Array.isArray(f.up) && Array.isArray(f.down))) {
    return `${where} (${value.id}) has no "fragments" list of up and down statements`;
  }
  const covers: ChangeMatcher[] = [];
  for (const raw of value.covers) {
    const matcher = matcherOf(raw);
    if (isString(matcher)) return `${where} (${value.id}) has ${matcher}`;
    covers.push(matcher);
  }
  return { ...(value as unknown as RecordedContract), covers };
}

/**
 * The pending contracts of one record file's parsed JSON, or what is off in a record of another shape
 * (the caller, which knows the file, turns it into the user's error).
 */
export function parseContractRecord(json: unknown): { readonly contracts: RecordedContract[] } | { readonly problem: string } {
  if (!isObject(json) || json.pgshift !== 1) return { problem: 'it does not start with "pgshift": 1' };
  if (!Array.isArray(json.pending)) return { problem: 'it has no "pending" list' };
  const contracts: RecordedContract[] = [];
  for (const [i, entry] of json.pending.entries()) {
    const contract = contractOf(entry, i);
    if (isString(contract)) return { problem: contract };
    contracts.push(contract);
  }
  return { contracts };
}

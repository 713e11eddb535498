/**
 * Which columns this plan would take a `--backfill` value for. The rules look a value up by
 * backfillKey for exactly the changes that can use one (a NOT NULL column without default added to an
 * existing table, SET NOT NULL on a column holding NULLs), whether or not the user gave one; recording
 * those lookups tells the CLI, without repeating any rule's conditions, which flags matched a change
 * and which columns a mistyped one could have meant.
 */

/** A copy of `values` that remembers every key looked up in it. */
class RecordingMap<V> extends Map<string, V> {
  constructor(entries: Iterable<readonly [string, V]>, private readonly lookedUp: Set<string>) {
    super(entries);
  }

  override get(key: string): V | undefined {
    this.lookedUp.add(key);
    return super.get(key);
  }

  override has(key: string): boolean {
    this.lookedUp.add(key);
    return super.has(key);
  }
}

export function recordLookups<V>(values: ReadonlyMap<string, V>, lookedUp: Set<string>): ReadonlyMap<string, V> {
  return new RecordingMap(values.entries(), lookedUp);
}

/**
 * The replay cache's key (replay-cache.ts): a hash chained over the folder's files in order — version,
 * file name and a hash of each up file's text — so that the hash of files 1..k covers every byte of each.
 * An edit, insertion, removal or renumbering of a file changes its hash and every later one.
 */
import { createHash } from 'node:crypto';
import { readMigrationText, type Migration } from '../migrations-dir/files';

/** `hashes[k]`: the template name of files 1..k+1 (so the cache is keyed per prefix). */
export function prefixHashes(migrations: readonly Migration[]): string[] {
  let chain = createHash('sha1').update('pgshift-replay-v1').digest('hex');
  return migrations.map((migration) => {
    const text = migration.up ? readMigrationText(migration.up) : null;
    const entry = [chain, String(migration.version), migration.up?.fileName ?? '-', text === null ? '-' : createHash('sha1').update(text).digest('hex')].join('\0');
    chain = createHash('sha1').update(entry).digest('hex');
    return chain;
  });
}

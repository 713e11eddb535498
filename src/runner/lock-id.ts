/**
 * golang-migrate's advisory lock id (database/util.go `GenerateAdvisoryLockId`): crc32-IEEE of
 * `database \0 schema \0 table`, times a salt, in uint32 arithmetic. Sharing the id makes pgshift and
 * golang-migrate exclude each other on the same database.
 */
const SALT = 1486364155;

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32Ieee(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function advisoryLockId(databaseName: string, schemaName: string, tableName = 'schema_migrations'): number {
  const sum = crc32Ieee(Buffer.from(`${databaseName}\0${schemaName}\0${tableName}`, 'utf8'));
  // Math.imul multiplies modulo 2^32 like Go's uint32 `*`; `>>> 0` reads the result as unsigned.
  return Math.imul(sum, SALT) >>> 0;
}

/**
 * The ids golang-migrate may use for this database. Opened from a URL (the `migrate` CLI, `migrate.New`)
 * it hashes the URL's path *with* its leading slash (`/app`); opened through `WithInstance` it hashes
 * `current_database()` (`app`). pgshift takes both, so it excludes either way of running golang-migrate.
 */
export function golangMigrateLockIds(currentDatabase: string, schemaName: string, databaseUrl: string): number[] {
  const ids = [advisoryLockId(currentDatabase, schemaName)];
  const urlPath = urlDatabasePath(databaseUrl);
  if (urlPath !== null) {
    const fromUrl = advisoryLockId(urlPath, schemaName);
    if (!ids.includes(fromUrl)) ids.unshift(fromUrl);
  }
  return ids;
}

/** Go's `url.Parse(u).Path`: decoded, leading slash kept; null when empty (golang-migrate then asks the server). */
function urlDatabasePath(databaseUrl: string): string | null {
  try {
    const path = decodeURIComponent(new URL(databaseUrl).pathname);
    return path === '' ? null : path;
  } catch {
    return null;
  }
}

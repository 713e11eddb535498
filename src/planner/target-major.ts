/**
 * The PostgreSQL major a plan is written for — the production server's, never the shadow's. A plan for
 * major N uses only features every server of major N or newer has (see
 * /work/shared/reference/postgres-versions.md); with no target known it is portable: SQL every supported
 * major accepts.
 */
export const OLDEST_SUPPORTED_MAJOR = 13;
export const NEWEST_SUPPORTED_MAJOR = 18;

/** The target of a portable plan: the oldest supported major, so every supported server accepts it. */
export const PORTABLE_MAJOR = OLDEST_SUPPORTED_MAJOR;

/** PG 18: NOT NULL constraints are pg_constraint rows (`ADD CONSTRAINT … NOT NULL col NOT VALID`). */
export const NATIVE_NOT_NULL_SINCE = 18;

export function isSupportedMajor(major: number): boolean {
  return Number.isInteger(major) && major >= OLDEST_SUPPORTED_MAJOR && major <= NEWEST_SUPPORTED_MAJOR;
}

/** `server_version_num` (150004, 180000) → its major (15, 18). */
export function majorOf(serverVersionNum: number): number {
  return Math.floor(serverVersionNum / 10000);
}

/**
 * Which PostgreSQL major a plan is for. First wins: `--target-version N`, `PGSHIFT_TARGET_VERSION`, the
 * project's `package.json` (`"pgshift": { "targetVersion": 15 }`, the nearest one above the TypeORM
 * config), and in live mode the live server. With none, the plan is portable (every supported major
 * accepts it). A declared target newer than the live server it is used against is refused: the plan's
 * SQL would not run there.
 */
import { PgshiftError } from '../errors';
import { projectSetting } from './project-setting';
import { isSupportedMajor, majorOf, NEWEST_SUPPORTED_MAJOR, OLDEST_SUPPORTED_MAJOR, PORTABLE_MAJOR } from '../planner/target-major';

export type TargetSource = '--target-version' | 'PGSHIFT_TARGET_VERSION' | 'package.json' | 'live server' | 'portable';

export interface PlanTarget {
  readonly major: number;
  readonly source: TargetSource;
}

export interface TargetInputs {
  /** The raw `--target-version` value. */
  readonly flag?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** The TypeORM config module: its nearest package.json holds the project setting. */
  readonly configPath: string;
}

const RANGE = `${OLDEST_SUPPORTED_MAJOR}–${NEWEST_SUPPORTED_MAJOR}`;

/** A major from a flag, variable or setting; a clear error naming where the bad value came from. */
export function parseTargetMajor(value: unknown, where: string): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const major = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!isSupportedMajor(major)) {
    throw new PgshiftError('USAGE', `${where} must be a PostgreSQL major version from ${RANGE}, got ${JSON.stringify(value)}`, {
      hint: `name the production server's major, e.g. ${where === '--target-version' ? '--target-version 15' : '15'} (pgshift plans for PostgreSQL ${RANGE})`,
    });
  }
  return major;
}

/** The target the user declared, or undefined (then the live server's major, or portable). */
export function declaredTarget(inputs: TargetInputs): PlanTarget | undefined {
  if (inputs.flag !== undefined) return { major: parseTargetMajor(inputs.flag, '--target-version'), source: '--target-version' };
  const env = (inputs.env ?? process.env).PGSHIFT_TARGET_VERSION;
  if (env !== undefined && env.trim() !== '') return { major: parseTargetMajor(env, 'PGSHIFT_TARGET_VERSION'), source: 'PGSHIFT_TARGET_VERSION' };
  const setting = projectSetting(inputs.configPath, 'targetVersion');
  if (setting) return { major: parseTargetMajor(setting.value, `"pgshift.targetVersion" in ${setting.path}`), source: 'package.json' };
  return undefined;
}

/** The target for a plan made against `live` (its server_version_num) or a shadow (undefined). */
export function planTarget(declared: PlanTarget | undefined, liveServerVersion: number | undefined): PlanTarget {
  if (liveServerVersion !== undefined) {
    const liveMajor = majorOf(liveServerVersion);
    if (declared && declared.major > liveMajor) {
      throw new PgshiftError('REFUSED', `the target PostgreSQL ${declared.major} (${declared.source}) is newer than the live server, PostgreSQL ${liveMajor}: the plan's SQL would not run there`, {
        hint: `set the target to the production server's major (--target-version ${liveMajor}), or point --database-url at a PostgreSQL ${declared.major} server`,
      });
    }
    return declared ?? { major: liveMajor, source: 'live server' };
  }
  return declared ?? { major: PORTABLE_MAJOR, source: 'portable' };
}

/** One line for the plan output: which majors the files are for and why. */
export function describeTarget(target: PlanTarget): string {
  if (target.source === 'portable') {
    return `Planned for PostgreSQL ${PORTABLE_MAJOR}+ (portable; set --target-version, PGSHIFT_TARGET_VERSION or "pgshift": { "targetVersion": N } in package.json to use the features of your server's major).`;
  }
  return `Planned for PostgreSQL ${target.major}+ (${target.source === 'live server' ? 'the live server' : `from ${target.source}`}).`;
}

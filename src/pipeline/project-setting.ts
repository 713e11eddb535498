/**
 * The project's pgshift settings: the `"pgshift"` section of the package.json nearest above the TypeORM
 * config (`{ "pgshift": { "targetVersion": 15, "format": "typeorm" } }`). One reader for every setting, so
 * they all come from the same file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ProjectSetting {
  readonly value: unknown;
  /** The package.json it came from, for error messages. */
  readonly path: string;
}

function nearestPackageJson(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** `pgshift.<key>` from the nearest package.json, or undefined when unset. */
export function projectSetting(configPath: string, key: string): ProjectSetting | undefined {
  const path = nearestPackageJson(dirname(configPath));
  if (!path) return undefined;
  let content: { pgshift?: Record<string, unknown> };
  try {
    content = JSON.parse(readFileSync(path, 'utf8')) as typeof content;
  } catch {
    return undefined; // Not ours to judge; npm reports a broken package.json.
  }
  const value = content?.pgshift?.[key];
  return value === undefined ? undefined : { value, path };
}

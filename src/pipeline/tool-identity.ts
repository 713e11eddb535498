/**
 * Which pgshift computed a cached entry (run-cache.ts): its version and the build it runs from. The
 * version alone is not enough — a checkout of pgshift, or a build from git, keeps one version through
 * many changes to how it reads entities and catalogs, and an entry from an earlier build must then miss.
 * The build is told by this compiled file's modification time: every build writes every output again.
 */
import { statSync } from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION = (require('../../package.json') as { version: string }).version;

function buildStamp(): string {
  try {
    return String(statSync(__filename).mtimeMs);
  } catch {
    return 'unknown build';
  }
}

export const TOOL_IDENTITY = `${VERSION} ${buildStamp()}`;

/** Where things are: the repository root, pgshift's launcher, TypeORM's CLI, the benchmarks' scratch space. */
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const BENCH_DIR = join(REPO_ROOT, 'bench');
/** Generated projects and databases' scratch files; git-ignored. */
export const WORK_DIR = join(BENCH_DIR, '.work');
export const RESULTS_DIR = join(BENCH_DIR, 'results');
export const PGSHIFT_BIN = join(REPO_ROOT, 'bin', 'pgshift.js');
export const TYPEORM_TS_NODE_CLI = join(REPO_ROOT, 'node_modules', 'typeorm', 'cli-ts-node-commonjs.js');
export const TS_NODE_TRANSPILE_ONLY = join(REPO_ROOT, 'node_modules', 'ts-node', 'register', 'transpile-only');

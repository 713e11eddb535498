/**
 * Re-renders bench/RESULTS.md and bench/results.svg from whatever results bench/results/ holds, so each
 * benchmark can run alone and the report always shows the latest of both.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiffBenchResult } from '../diff/diff-result';
import type { StallBenchResult } from '../stall/stall-result';
import type { ShadowBenchResult } from '../shadow/shadow-result';
import { shadowSection, shadowSummary } from './shadow-markdown';
import { BENCH_DIR, RESULTS_DIR } from '../lib/paths';
import { backfillSection, diffSection, otherSizeSummary, stallSection, summarySection } from './results-markdown';
import { renderSvg } from './svg-chart';
import { usageSection } from './usage-markdown';
import type { UsageBenchResult } from '../usage/run-usage-bench';

function readJson<T>(file: string): T | undefined {
  const path = join(RESULTS_DIR, file);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

const METHOD = `## Method

**Diff speed.** \`bench/diff\` writes an N-entity TypeORM project (per entity: serial id, 7 plain columns of
the usual types, a creation timestamp, an index on \`name\`, a (status, created_at) index, a unique email on
every third entity, a FK to the previous entity and a second FK on every fourth; an \`ormconfig.ts\`
default-exporting a postgres DataSource with \`url: process.env.DATABASE_URL\` and an \`entities/*.ts\` glob).
TypeORM's \`synchronize\` builds the schema on a fresh database, then one entity's \`name\` is widened from
varchar(120) to varchar(160). Timed, as whole processes from spawn to exit, interleaved run by run:
- **TypeORM**: its own CLI as \`typeorm-ts-node-commonjs\` users run it,
  \`typeorm-ts-node-commonjs migration:generate <path> -d ormconfig.ts --dryrun\` with \`TS_NODE_TRANSPILE_ONLY=true\`
  (ts-node is a devDependency for this; transpile-only is TypeORM's fastest setup — with type checking it
  is slower still). The command loads the entities, connects and runs \`driver.createSchemaBuilder().log()\`.
- **pgshift**: \`node bin/pgshift.js gen diff -c ormconfig.ts -d migrations --database-url … --dry-run\`.
  Every entity file carries a per-run marker comment, so pgshift's first run of a session finds its
  transpile cache cold; the measured runs after it are warm (as a developer's second run is).

Round trips are counted by a loopback proxy in front of Postgres (\`bench/lib/round-trip-counter.ts\`): one
per simple Query or extended-protocol Sync, on a separate, untimed run of each engine.

**Write stalls.** \`bench/stall\` builds \`bench_items\` (and a 100-row \`bench_accounts\`) with TypeORM's
synchronize and seeds it with one \`INSERT … SELECT generate_series\`, then uses that database as a template.
For each plan kind and engine, a fresh copy (\`CREATE DATABASE … TEMPLATE …\`, \`STRATEGY FILE_COPY\` for big ones) gets:
- the engine's plan for the kind's "after" entities, generated against that copy — pgshift with
  \`gen diff <kind> -c ormconfig.ts -d migrations --database-url …\` plus the kind's decision flags
  (\`--backfill bench_items.region='eu'\`, \`--rename bench_items.legacy_name=display_name\`); TypeORM with
  \`createSchemaBuilder().log()\`;
- a snapshot of the changed column of every seeded row;
- three writer connections (one inserting rows, two updating \`hits\`/\`touched_at\` of random seeded rows — the
  very rows a backfill fills, so its batches' row locks are met — each write timed, a few ms apart, statement
  timeout as a ceiling) that warm up for one second;
- the migration: pgshift's \`up\` files in version order, each file's whole text as one query like
  golang-migrate, with \`SET lock_timeout = '2s'\` before a lone non-transactional file and lock timeouts
  retried (at most 5, with backoff) like pgshift's runner; TypeORM's statements in one transaction like
  \`migration:run\`, without lock_timeout;
- pgshift's expand files first; if they leave contract steps in \`pgshift-contract/\`, the inserting
  writer switches to the new app version (for the new required column it now writes \`region\`, as deployed
  code would) and \`gen diff --contract\` generates the contract files, which are applied too — generating
  them is not counted as migration time;
- the writers stop as soon as the migration ends; the column is compared row by row with the snapshot and
  checksummed (md5 over the values in id order; numerics compared by value).

TypeORM 1.x drops and re-adds a column whose type or length changes (a numeric precision/scale change is
the exception: it runs \`ALTER … TYPE\`, a rewrite under ACCESS EXCLUSIVE). What that does to the data depends
on the "before" column: \`title\` is nullable (values lost), \`qty\` has a default (values reset to 0). Writers
never write the changed column, so a write error means a lock, a timeout, or a schema the running app
cannot use — but also, since they never read or write \`legacy_name\`, a rename's breakage of running
clients (TypeORM's plain \`RENAME COLUMN\`) does not show up as errors here.

Caveats: one machine, one run; timings on 2 cores move by some tens of percent between runs. Writers that
wait for a lock count the whole wait as one write, so "longest write" is the app's worst stall.
`;

export function renderReport(): { markdown: string; svg: string } {
  const diff = readJson<DiffBenchResult>('diff.json');
  const stall = readJson<StallBenchResult>('stall.json');
  // Other table sizes of the same bench, kept beside the main run (`bench:stall -- --out stall-1m.json`).
  const others = existsSync(RESULTS_DIR) ? readdirSync(RESULTS_DIR).filter((f) => /^stall-.+\.json$/.test(f)).sort() : [];
  const otherRuns = others.map((f) => readJson<StallBenchResult>(f)).filter((r): r is StallBenchResult => r !== undefined);
  const shadow = readJson<ShadowBenchResult>('shadow.json');
  const markdown = [
    '# pgshift benchmarks',
    '',
    'Generated by `npm run bench:diff`, `npm run bench:shadow` and `npm run bench:stall` (raw numbers in `bench/results/*.json`).',
    'Each benchmark measures pgshift and TypeORM 1.x in the same run on the same machine.',
    '',
    '![diff time and longest write per plan kind](results.svg)',
    '',
    summarySection(diff, stall) + otherRuns.map(otherSizeSummary).map((l) => `${l}\n`).join('') + (shadow ? `${shadowSummary(shadow)}\n` : ''),
    backfillSection([...(stall ? [stall] : []), ...otherRuns]),
    diff ? diffSection(diff) : '## Diff speed\n\nNot run yet: `npm run bench:diff`.\n',
    shadow ? shadowSection(shadow) : '## Shadow vs live database\n\nNot run yet: `npm run bench:shadow`.\n',
    stall ? stallSection(stall) : '## Write stalls\n\nNot run yet: `npm run bench:stall`.\n',
    usageSection(readJson<UsageBenchResult>('usage.json')),
    METHOD,
    '## Reproduce',
    '',
    '```sh',
    'npm ci',
    'npm run bench:diff            # -- --sizes 100,1000 --runs 5 [--admin-url URL | --embedded]',
    'npm run bench:shadow          # -- --runs 7 --tables 100 --files 50',
    'npm run bench:stall           # -- --rows 1000000 [--kinds add-index,rename-column] [--think-ms 2]',
    'npm run bench:usage           # -- --rows 100000 --writes 2000 --rounds 15',
    '```',
    'They use the PostgreSQL at `BENCH_ADMIN_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`) to',
    'create and drop their own `pgshift_bench_*` databases; `--embedded` starts a throwaway PostgreSQL 18 instead.',
    '',
  ].join('\n');
  const svg = renderSvg(diff, stall);
  writeFileSync(join(BENCH_DIR, 'RESULTS.md'), markdown);
  writeFileSync(join(BENCH_DIR, 'results.svg'), svg);
  return { markdown, svg };
}

if (require.main === module) renderReport();

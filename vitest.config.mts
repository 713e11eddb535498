import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that touch no server, no child process, no environment variable and no TypeORM metadata
 * (loading entities registers them in TypeORM's global storage): they share one module graph per worker
 * instead of re-importing it per file. Isolation costs ~1.3 s of worker time per file (20 such files: 17 s
 * isolated, 4 s shared). Everything not listed here — every new file — runs isolated, with the servers.
 */
const SHARED_MODULE_FILES = [
  'test/architecture/import-cycles.test.ts',
  'test/architecture/pure-core.test.ts',
  'test/contract-gate/units.test.ts',
  'test/emit/contract-records.test.ts',
  'test/emit/write-files.test.ts',
  'test/entity-loader/format-type.test.ts',
  'test/fleet/units.test.ts',
  'test/planner/generated-name.test.ts',
  'test/planner/rule-registry.test.ts',
  'test/property/generators.test.ts',
  'test/runner/backfill-progress.test.ts',
  'test/runner/planned-for.test.ts',
  'test/runner/recovery.test.ts',
  'test/runner/statements.property.test.ts',
  'test/runner/statements.test.ts',
  'test/sql-check/one-expression.test.ts',
  'test/sql-check/view-exclusion-text.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores on CI machines: two workers, each test with its own database on the one shared server.
    // (Three were no faster in full runs on two cores: 799 s against 802 s in 2026-11; 244 s against 251 s
    // on 2026-12-02, with the run's databases on tmpfs.)
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'db',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          // Setting exclude replaces vitest's defaults (node_modules, .git): keep them.
          exclude: [...configDefaults.exclude, ...SHARED_MODULE_FILES],
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'pure', include: SHARED_MODULE_FILES, isolate: false },
      },
    ],
  },
});

/**
 * The files of the fresh TypeORM project the tarball is installed into, besides the sample app's
 * `entities/` and `ormconfig.ts` (copied from this repository): its own `synchronize` script, and a file
 * using pgshift's library API, both compiled with tsc as the project would compile them.
 */
export const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true,
    experimentalDecorators: true, emitDecoratorMetadata: true, skipLibCheck: true,
    outDir: 'build', rootDir: '.', types: ['node'],
  },
  include: ['ormconfig.ts', 'entities', 'synchronize.ts', 'library-api.ts'],
}, null, 2);

/** The project's own TypeORM builds the schema: `DATABASE_URL=… node build/synchronize.js`. */
export const SYNCHRONIZE_TS = `import dataSource from './ormconfig';

async function main(): Promise<void> {
  await dataSource.initialize();
  try {
    await dataSource.synchronize();
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/**
 * The documented library API, type-checked against the shipped .d.ts files; run, it plans the entities
 * against DATABASE_URL and prints how many changes are left (0 once \`up\` ran).
 */
export const LIBRARY_API_TS = `import {
  generate, NO_DECISIONS, PgshiftError, runMigrations, runSync, type GenerateResult, type RunMigrationsOptions,
} from 'pgshift';

export async function deploy(databaseUrl: string): Promise<number[]> {
  const options: RunMigrationsOptions = { databaseUrl, dir: 'migrations' };
  return runMigrations(options);
}

export async function changesLeft(databaseUrl: string): Promise<number> {
  const result: GenerateResult = await generate({ configPath: 'ormconfig.ts', dir: 'migrations', databaseUrl, decisions: NO_DECISIONS });
  return result.changes.length;
}

if (typeof runSync !== 'function' || typeof PgshiftError !== 'function') throw new Error('pgshift exports are missing');

if (require.main === module) {
  changesLeft(process.env.DATABASE_URL!).then(
    (count) => console.log(\`changes left: \${count}\`),
    (error) => { console.error(error); process.exitCode = 1; },
  );
}
`;

/**
 * The files every generated TypeORM project shares: a tsconfig with decorator metadata (what TypeORM needs
 * and what ts-node and pgshift's loader both honour) and an ormconfig.ts default-exporting a postgres
 * DataSource whose URL comes from DATABASE_URL, with entities found by a glob as most projects do.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'commonjs',
    moduleResolution: 'node',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    skipLibCheck: true,
  },
};

const ORMCONFIG = `import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

export default new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  entities: [join(__dirname, 'entities', '*.ts')],
  synchronize: false,
  logging: false,
});
`;

/** Writes (replacing) a project: tsconfig.json, ormconfig.ts and `entities/<file>.ts` for each entry. */
export function writeProject(projectDir: string, entityFiles: ReadonlyMap<string, string>): void {
  rmSync(projectDir, { recursive: true, force: true });
  mkdirSync(join(projectDir, 'entities'), { recursive: true });
  mkdirSync(join(projectDir, 'migrations'), { recursive: true });
  writeFileSync(join(projectDir, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  writeFileSync(join(projectDir, 'ormconfig.ts'), ORMCONFIG);
  for (const [file, source] of entityFiles) writeFileSync(join(projectDir, 'entities', file), source);
}

/** Replaces one entity file in place (the one-column change the diff benchmark measures). */
export function writeEntityFile(projectDir: string, file: string, source: string): void {
  writeFileSync(join(projectDir, 'entities', file), source);
}

/** An empty migrations folder (pgshift's `-d`), recreated so earlier runs leave nothing behind. */
export function freshMigrationsDir(projectDir: string, name = 'migrations'): string {
  const dir = join(projectDir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

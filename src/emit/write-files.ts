/**
 * All-or-nothing writes into the migrations folder: every file is first written under a temporary name
 * in the same folder (same filesystem, so the renames are atomic), then renamed into place. If anything
 * fails, whatever was written is removed and the folder is left byte-identical.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PgshiftError } from '../errors';

export interface PlannedFile {
  readonly path: string;
  readonly content: string;
  /** Overwrite an existing file (e.g. the pending-contract record). */
  readonly replace?: boolean;
}

export function writeAllOrNothing(files: readonly PlannedFile[]): void {
  for (const file of files) {
    if (!file.replace && existsSync(file.path)) {
      throw new PgshiftError('MIGRATIONS_DIR', `${file.path} already exists; nothing was written`, {
        hint: 'another migration took this version meanwhile; run gen diff again',
      });
    }
  }
  const createdDirs: string[] = [];
  for (const dir of new Set(files.map((f) => dirname(f.path)))) {
    if (!existsSync(dir)) {
      try {
        mkdirSync(dir, { recursive: true });
      } catch (error) {
        throw new PgshiftError('MIGRATIONS_DIR', `cannot create the migrations folder ${dir}: ${(error as Error).message}; nothing was written`);
      }
      createdDirs.push(dir);
    }
  }
  const token = randomBytes(4).toString('hex');
  const temps: string[] = [];
  const placed: Array<{ path: string; backup: string | null }> = [];
  try {
    for (const file of files) {
      const temp = join(dirname(file.path), `.${basename(file.path)}.${token}.tmp`);
      writeFileSync(temp, file.content);
      temps.push(temp);
    }
    files.forEach((file, i) => {
      let backup: string | null = null;
      if (file.replace && existsSync(file.path)) {
        backup = `${file.path}.${token}.bak`;
        renameSync(file.path, backup);
      }
      renameSync(temps[i]!, file.path);
      placed.push({ path: file.path, backup });
    });
  } catch (error) {
    for (const { path, backup } of placed.reverse()) {
      rmSync(path, { force: true });
      if (backup) renameSync(backup, path);
    }
    for (const temp of temps) rmSync(temp, { force: true });
    for (const dir of createdDirs) rmSync(dir, { recursive: true, force: true });
    throw new PgshiftError('MIGRATIONS_DIR', `could not write the migration files: ${(error as Error).message}; nothing was written`, {
      hint: 'check that the migrations folder is writable and the disk has room, then run gen diff again',
    });
  }
  for (const { backup } of placed) if (backup) rmSync(backup, { force: true });
}

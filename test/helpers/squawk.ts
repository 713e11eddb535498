/**
 * squawk over generated files, the way a team's CI would run it: every rule squawk enables by default,
 * no exclusions, `--pg-version` of the server the plan was made for, and `--assume-in-transaction`
 * (golang-migrate and `pgshift up` send a file's whole text as one query, which PostgreSQL runs in one
 * implicit transaction; a non-transactional file says `-- squawk-disable-assume-in-transaction`).
 * A form pgshift takes on purpose carries squawk's own `-- squawk-ignore` comment in the file itself.
 *
 * Cheap by batching: files are collected, written to one temporary folder and linted with one run of
 * the squawk binary per server major (the binary directly: the npm wrapper costs a Node start each run).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';
import type { StepFiles } from '../../src/emit/plan-files';

// squawk-cli's own resolver of its platform package (what its bin script runs).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped CommonJS file of the package
const { getBinaryPath } = require('squawk-cli/js/index.js') as { getBinaryPath(): string };

export interface SquawkFinding {
  /** The file's name in the batch: `<label>/<base>.up.sql`. */
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly message: string;
}

interface Linted {
  readonly name: string;
  readonly content: string;
  readonly major: number;
}

/** `server_version_num` (150004) or a major (15) → the major. */
function majorOf(serverVersion: number): number {
  return serverVersion >= 10000 ? Math.floor(serverVersion / 10000) : serverVersion;
}

/** Collects generated files (ups and downs) and lints them all at once. */
export class SquawkBatch {
  private readonly files: Linted[] = [];
  private seq = 0;

  /** Adds every up and down file of a plan made for `serverVersion`; `label` names them in a report. */
  add(files: readonly StepFiles[], serverVersion: number, label = 'plan'): this {
    const dir = `${String(++this.seq).padStart(4, '0')}-${label.replace(/[^a-z0-9_-]+/gi, '_')}`;
    for (const f of files) {
      this.files.push({ name: `${dir}/${f.base}.up.sql`, content: f.up.content, major: majorOf(serverVersion) });
      this.files.push({ name: `${dir}/${f.base}.down.sql`, content: f.down.content, major: majorOf(serverVersion) });
    }
    return this;
  }

  /** Adds one SQL text (e.g. a committed snapshot file). */
  addText(name: string, content: string, serverVersion: number): this {
    this.files.push({ name, content, major: majorOf(serverVersion) });
    return this;
  }

  get size(): number {
    return this.files.length;
  }

  findings(): SquawkFinding[] {
    return squawkFindings(this.files);
  }

  /** Fails with every finding, each with the file's text, when squawk reports anything. */
  expectClean(): void {
    const found = this.findings();
    const byName = new Map(this.files.map((f) => [f.name, f.content]));
    const report = found.map((v) => `${v.file}:${v.line + 1}: ${v.rule}: ${v.message}`);
    const texts = [...new Set(found.map((v) => v.file))].slice(0, 3).map((name) => `--- ${name}\n${byName.get(name)}`);
    expect(report, `squawk findings:\n${report.join('\n')}\n\n${texts.join('\n')}`).toEqual([]);
  }
}

/** Lints the plan's files now (one squawk run) and fails on any finding. */
export function expectSquawkClean(files: readonly StepFiles[], serverVersion: number, label?: string): void {
  new SquawkBatch().add(files, serverVersion, label).expectClean();
}

function squawkFindings(files: readonly Linted[]): SquawkFinding[] {
  if (files.length === 0) return [];
  const root = mkdtempSync(join(tmpdir(), 'pgshift-squawk-'));
  try {
    const out: SquawkFinding[] = [];
    for (const major of [...new Set(files.map((f) => f.major))]) {
      const paths = files.filter((f) => f.major === major).map((f) => {
        const path = join(root, f.name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.content);
        return path;
      });
      for (const v of runSquawk(major, paths)) out.push({ ...v, file: relative(root, v.file) });
    }
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function runSquawk(major: number, paths: readonly string[]): SquawkFinding[] {
  const args = ['--reporter=json', '--assume-in-transaction', `--pg-version=${major}.0`, '--no-error-on-unmatched-pattern', ...paths];
  let stdout: string;
  try {
    stdout = execFileSync(getBinaryPath(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    // squawk exits 1 when it reports something; anything without a JSON report is a real failure.
    const e = error as { stdout?: string; stderr?: string };
    if (!e.stdout?.trim().startsWith('[')) throw new Error(`squawk failed: ${e.stderr ?? String(error)}`, { cause: error });
    stdout = e.stdout;
  }
  const parsed = JSON.parse(stdout) as Array<{ file: string; line: number; rule_name: string; message: string }>;
  return parsed.map((v) => ({ file: v.file, line: v.line, rule: v.rule_name, message: v.message }));
}

/**
 * Runs a whole process and times it from spawn to exit: what a user waits for. Output is captured (not
 * inherited) so printing cost is the same for every engine. Every run has a time limit so a hung child
 * can never hang the benchmark.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessResult {
  readonly ms: number;
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Client-side CPU time (user + system) of the Node processes, when `measureCpu` was asked for. */
  readonly cpuMs?: number;
}

export interface ProcessOptions {
  readonly cwd: string;
  readonly env?: Record<string, string | undefined>;
  readonly timeoutMs?: number;
  /** Preload bench/lib/report-cpu-usage.js into the (Node) command to record its CPU time. */
  readonly measureCpu?: boolean;
}

const CPU_PRELOAD = join(__dirname, 'report-cpu-usage.js');

function readCpuReport(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  let micros = 0;
  for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
    const [, user, system] = line.split(' ').map(Number);
    micros += (user ?? 0) + (system ?? 0);
  }
  return micros / 1000;
}

export function runTimed(command: string, args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const cpuDir = options.measureCpu ? mkdtempSync(join(tmpdir(), 'bench-cpu-')) : undefined;
    const cpuEnv: Record<string, string> = cpuDir
      ? { BENCH_CPU_REPORT: join(cpuDir, 'cpu'), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${CPU_PRELOAD}`.trim() }
      : {};
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env, ...cpuEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 600_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const cpuMs = cpuDir ? readCpuReport(join(cpuDir, 'cpu')) : undefined;
      if (cpuDir) rmSync(cpuDir, { recursive: true, force: true });
      resolve({
        ms,
        cpuMs,
        exitCode,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
      });
    });
  });
}

/** The last lines of a process's output, for error messages that stay readable. */
export function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

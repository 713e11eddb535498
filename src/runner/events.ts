/**
 * What the runner reports while it works. The core never prints: the CLI renders these (a live line on a
 * TTY, plain lines otherwise) and the library passes them to the caller's callback.
 */
import type { Direction } from './plan';

/** A backfill's progress, from the NOTICE its loop raises (parsed in backfill-progress.ts). */
export interface BackfillProgress {
  readonly done: number;
  /** Estimated rows of the table; 0 = unknown. */
  readonly estimate: number;
  readonly nextBatchRows: number;
}

export interface IndexBuildProgress {
  readonly phase: string;
  readonly blocksDone: number;
  readonly blocksTotal: number;
  readonly tuplesDone: number;
  readonly tuplesTotal: number;
  readonly lockersDone: number;
  readonly lockersTotal: number;
}

export type RunnerEvent =
  | { readonly kind: 'waiting-for-lock'; readonly holder: string }
  | { readonly kind: 'locked' }
  | { readonly kind: 'start'; readonly version: number; readonly direction: Direction; readonly fileName: string; readonly transactional: boolean }
  | { readonly kind: 'progress'; readonly version: number; readonly elapsedMs: number; readonly index: IndexBuildProgress | null }
  | { readonly kind: 'retry'; readonly version: number; readonly attempt: number; readonly of: number; readonly delayMs: number; readonly reason: string }
  | { readonly kind: 'invalid-index-dropped'; readonly version: number; readonly index: string }
  | { readonly kind: 'done'; readonly version: number; readonly direction: Direction; readonly fileName: string; readonly elapsedMs: number }
  | { readonly kind: 'resume'; readonly version: number; readonly message: string }
  | { readonly kind: 'notice'; readonly message: string }
  /** A pgshift backfill's own report (its NOTICE), every few seconds while it runs. */
  | { readonly kind: 'backfill-progress'; readonly progress: BackfillProgress }
  | { readonly kind: 'data-check'; readonly version: number; readonly passed: boolean; readonly message: string }
  | { readonly kind: 'warning'; readonly message: string };

export type RunnerListener = (event: RunnerEvent) => void;

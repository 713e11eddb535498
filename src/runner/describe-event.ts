/** One plain line per event worth a line (progress ticks are not): the non-TTY log and the library's `log`. */
import type { RunnerEvent } from './events';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Math.round((ms % 60_000) / 1000)}s`;
}

export function describeEvent(event: RunnerEvent): string | null {
  switch (event.kind) {
    case 'waiting-for-lock':
      return `waiting for the migration lock, held by ${event.holder}`;
    case 'locked':
      return 'got the migration lock';
    case 'start':
      return `${event.direction === 'up' ? 'applying' : 'reverting'} ${event.fileName}${event.transactional ? '' : ' (outside a transaction)'}`;
    case 'done':
      return `${event.direction === 'up' ? 'applied' : 'reverted'} ${event.fileName} in ${formatDuration(event.elapsedMs)}`;
    case 'retry':
      return `${event.reason}; retry ${event.attempt} of ${event.of} in ${formatDuration(event.delayMs)}`;
    case 'invalid-index-dropped':
      return `dropped the INVALID index ${event.index} left by an earlier failed build`;
    case 'resume':
      return event.message;
    case 'data-check':
      return `${event.passed ? 'checked' : 'check failed'}: ${event.message}`;
    case 'backfill-progress':
      return `backfill: ${event.progress.done.toLocaleString('en-US')} rows${event.progress.estimate > event.progress.done ? ` of ~${event.progress.estimate.toLocaleString('en-US')}` : ''}`;
    case 'notice':
      return `notice: ${event.message}`;
    case 'warning':
      return `warning: ${event.message}`;
    case 'progress':
      return null;
  }
}

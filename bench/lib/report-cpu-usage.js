'use strict';
/**
 * Preloaded (`node -r`) into the engines' processes by bench/lib/timed-process.ts: at exit — also through
 * process.exit — appends this process's own CPU time (user + system, µs) to the file named by
 * BENCH_CPU_REPORT. CPU time, unlike wall time, barely moves when other work shares the machine.
 * Plain JavaScript so it loads before any TypeScript hook.
 */
const { appendFileSync } = require('node:fs');

const target = process.env.BENCH_CPU_REPORT;
if (target) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    try {
      appendFileSync(target, `${process.pid} ${user} ${system}\n`);
    } catch {
      // The benchmark then reports no CPU time for this run; never fail the measured process.
    }
  });
}

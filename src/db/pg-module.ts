/**
 * `pg`, loaded on first use: a run that connects to nothing (its shadow state cached) never pays for it.
 *
 * Loaded without the ~25 ms of CPU its Cloudflare check costs on Node 20: pg asks at load time whether it
 * runs in a Cloudflare Worker, looking at `navigator.userAgent`, and where there is no `navigator`
 * (Node < 21) it constructs a fetch `Response`, which loads Node's whole fetch implementation (undici)
 * just to answer "no". For the moment of that one require, a `navigator` like Node 21's own answers
 * instead; it is removed right after, so nothing else ever sees it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
type Pg = typeof import('pg');

let loaded: Pg | undefined;

export function pgModule(): Pg {
  if (loaded) return loaded;
  if ('navigator' in globalThis) return (loaded = require('pg') as Pg);
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node}` }, configurable: true, writable: true });
  try {
    loaded = require('pg') as Pg;
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
  return loaded;
}

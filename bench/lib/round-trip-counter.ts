/**
 * A loopback TCP proxy in front of Postgres that counts what a client asks of the server, so both engines'
 * catalog reads are measured the same way from outside, without trusting either tool's own report.
 *
 * A round trip is one simple-protocol Query ('Q') or one extended-protocol Sync ('S'): each makes the
 * client wait for the server's ReadyForQuery. Only the client→server stream is parsed; the other way is
 * piped untouched. Used for a separate counting run, never for timed runs (it adds latency).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface RoundTripCounts {
  connections: number;
  queries: number;
  syncs: number;
}

export interface RoundTripCounter {
  readonly port: number;
  readonly counts: RoundTripCounts;
  reset(): void;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** Parses the client's messages as they stream through and bumps the counters. */
function clientStreamParser(counts: RoundTripCounts): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  let startupDone = false;
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (!startupDone) {
        // Untyped messages: SSL/GSS requests (answered with one byte, then another untyped message) and
        // the startup message itself, after which every message starts with a type byte.
        if (pending.length < 8) return;
        const length = pending.readInt32BE(0);
        if (pending.length < length) return;
        const code = pending.readInt32BE(4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startupDone = true;
        pending = pending.subarray(length);
        continue;
      }
      if (pending.length < 5) return;
      const length = pending.readInt32BE(1);
      if (pending.length < 1 + length) return;
      const type = String.fromCharCode(pending[0]!);
      if (type === 'Q') counts.queries += 1;
      if (type === 'S') counts.syncs += 1;
      pending = pending.subarray(1 + length);
    }
  };
}

export async function startRoundTripCounter(upstreamHost: string, upstreamPort: number): Promise<RoundTripCounter> {
  const counts: RoundTripCounts = { connections: 0, queries: 0, syncs: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    counts.connections += 1;
    const upstream = connect(upstreamPort, upstreamHost);
    sockets.add(client);
    sockets.add(upstream);
    const parse = clientStreamParser(counts);
    client.on('data', (chunk: Buffer) => {
      parse(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    counts,
    reset() {
      counts.connections = 0;
      counts.queries = 0;
      counts.syncs = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

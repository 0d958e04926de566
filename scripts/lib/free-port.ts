import * as fs from 'node:fs';
import * as net from 'node:net';

/**
 * A TCP port on 127.0.0.1 that is free right now, for a server started a moment later (the
 * embedded PostgreSQL, the Temporal dev server, an API under test): no fixed ports, so parallel
 * test runs and a running `npm start` coexist. Picked below the kernel's ephemeral range
 * (ip_local_port_range, 32768+ by default) where it can be read: a port from that range may
 * become the source port of some outgoing connection between the pick and the bind (or while a
 * server is restarted on it), and the server would fail with "address already in use". `taken`:
 * ports already handed out for the same start-up.
 */
export async function freePort(taken: readonly number[] = []): Promise<number> {
  const range = belowEphemeralRange();
  if (range) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const port = range.from + Math.floor(Math.random() * (range.to - range.from));
      if (!taken.includes(port) && (await canListen(port))) return port;
    }
  }
  return kernelPickedPort();
}

function belowEphemeralRange(): { from: number; to: number } | null {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (!low) return null;
    return low > 12_000 ? { from: 10_000, to: low } : { from: low + 20_000, to: 65_000 };
  } catch {
    return null; // no /proc (macOS): the kernel picks
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function kernelPickedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

import * as net from 'node:net';

/**
 * A TCP port on 127.0.0.1 that is free right now: let the kernel pick one, then release it.
 * Another process could grab it before the server binds it, but that window is tiny, and it
 * lets parallel test runs and a running `npm start` coexist without fixed ports.
 */
export function freePort(): Promise<number> {
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

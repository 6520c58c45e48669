import { createServer, type AddressInfo } from 'node:net';

/**
 * A port on this machine that nothing listens on: one the system just gave out and took back. Fixed ports
 * could be taken by anything else on the machine; the system hands out a listening port only when it is
 * free. For an address known before a server starts, or one that must refuse connections.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Loopback ports for tests of refused connections. Used in plain Node (test/fake) and inside the
// extension host (test/integration).
import { createServer, type AddressInfo } from 'node:net';

/** A loopback port nothing listens on: an ephemeral port bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

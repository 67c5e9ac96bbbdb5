import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server that a file URL may point at instead of the platform's file host (an internal
 * service, an attacker's host). It records every request with its headers and answers with a
 * small JSON body (or a redirect), so a test can show that Muse never asked it for anything.
 */
export class TrapServer {
  readonly requests: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  origin = '';
  /** Answer every request with a redirect to this URL instead. */
  redirectTo: string | undefined;
  private server: Server | undefined;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests.push({ path: req.url ?? '/', headers: req.headers });
      if (this.redirectTo) res.writeHead(302, { location: this.redirectTo }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"entries":{"0":{"key":["Trap"],"content":"from the trap"}}}');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/**
 * /healthz, /readyz and /metrics over HTTP. In the web role they are routes of Slack's own
 * server (Bolt's HTTPReceiver `customRoutes`, the shape `OpsRoute` has); in the other roles
 * `listenOps` serves them on PORT itself.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Health } from './health.js';
import type { Metrics } from './metrics.js';

/** A route, as Bolt's CustomRoute has it. */
export interface OpsRoute {
  path: string;
  method: string[];
  handler(req: IncomingMessage, res: ServerResponse): void;
}

export interface OpsLogger {
  warn(obj: object, msg?: string): void;
}

export function opsRoutes(health: Health, metrics: Metrics, log: OpsLogger): OpsRoute[] {
  const method = ['GET', 'HEAD'];
  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  return [
    { path: '/healthz', method, handler: (_req, res) => send(res, 200, 'text/plain; charset=utf-8', 'ok\n') },
    {
      path: '/readyz',
      method,
      handler: (_req, res) =>
        void health.readiness().then(
          (r) => send(res, r.ready ? 200 : 503, 'application/json', `${JSON.stringify(r)}\n`),
          (err: unknown) => {
            log.warn({ err }, 'readiness could not be checked');
            send(res, 503, 'application/json', '{"ready":false}\n');
          },
        ),
    },
    {
      path: '/metrics',
      method,
      handler: (_req, res) =>
        void metrics.render().then(
          (text) => send(res, 200, metrics.contentType, text),
          (err: unknown) => {
            log.warn({ err }, 'metrics could not be collected');
            send(res, 500, 'text/plain; charset=utf-8', 'Metrics could not be collected; the details are in the log.\n');
          },
        ),
    },
  ];
}

export interface OpsServer {
  port: number;
  close: () => Promise<void>;
}

/** Serves `routes` on `port` (every interface), 404 for anything else. One sentence when the port is taken. */
export async function listenOps(port: number, routes: OpsRoute[]): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => r.path === path && r.method.includes(req.method ?? 'GET'));
    if (route) return route.handler(req, res);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found: Muse answers /healthz, /readyz and /metrics here.\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `Muse could not serve /healthz on PORT ${port}: another program uses it; set PORT to a free port.`
            : `Muse could not serve /healthz on PORT ${port}; the details are in the log.`,
          { cause: err },
        ),
      ),
    );
    server.listen(port, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

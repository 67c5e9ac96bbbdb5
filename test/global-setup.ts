import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { startPostgres, type TestPostgres } from './support/postgres-server.js';

/**
 * The store tests need a Redis server and a Postgres server. Unless MUSE_TEST_REDIS_URL or
 * MUSE_TEST_POSTGRES_URL names one, start a throwaway server on a free loopback port for this
 * run (no data kept), and stop it after. A missing server binary is a loud failure, not a skip.
 */
let redis: ChildProcess | undefined;
let postgres: TestPostgres | undefined;

export async function setup(): Promise<void> {
  const started = await Promise.allSettled([setupRedis(), setupPostgres()]);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await teardown();
    throw failed.reason;
  }
}

export async function teardown(): Promise<void> {
  redis?.kill('SIGTERM');
  postgres?.stop();
}

async function setupRedis(): Promise<void> {
  if (process.env.MUSE_TEST_REDIS_URL) return;
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('The Redis store tests need redis-server: install it (Debian: apt-get install -y redis-server) or set MUSE_TEST_REDIS_URL.');
  }
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitForPort(port);
  process.env.MUSE_TEST_REDIS_URL = `redis://127.0.0.1:${port}`;
}

async function setupPostgres(): Promise<void> {
  if (process.env.MUSE_TEST_POSTGRES_URL) return;
  postgres = await startPostgres(await freePort());
  process.env.MUSE_TEST_POSTGRES_URL = postgres.url;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(() => resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not start listening on 127.0.0.1:${port}`);
}

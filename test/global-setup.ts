import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

/**
 * The Redis store tests need a Redis server. Unless MUSE_TEST_REDIS_URL names one, start a
 * throwaway redis-server on a free loopback port for this run (no data saved), and stop it after.
 * No redis-server binary is a loud failure, not a skip.
 */
let redis: ChildProcess | undefined;

export async function setup(): Promise<void> {
  if (process.env.MUSE_TEST_REDIS_URL) return;
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('The Redis store tests need redis-server: install it (Debian: apt-get install -y redis-server) or set MUSE_TEST_REDIS_URL.');
  }
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitForPort(port);
  process.env.MUSE_TEST_REDIS_URL = `redis://127.0.0.1:${port}`;
}

export async function teardown(): Promise<void> {
  redis?.kill('SIGTERM');
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

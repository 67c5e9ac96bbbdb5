import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway Postgres for the tests: initdb into a temp folder, started with pg_ctl on a free
 * loopback port (unix socket in the same folder), durability off for speed, one database.
 * Postgres refuses to run as root, so as root the folder belongs to the `postgres` user and
 * initdb and pg_ctl run through `runuser -u postgres --`.
 */
export interface TestPostgres {
  url: string;
  stop(): void;
}

const DATABASE = 'muse_test';
const USER = 'muse';

export async function startPostgres(port: number): Promise<TestPostgres> {
  const bin = findBinaries();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'muse-pg-'));
  const data = join(dir, 'data');
  const run = (tool: string, args: string[]): void => {
    const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    const result = spawnSync(command, argv, { encoding: 'utf8' });
    if (result.error || result.status !== 0) {
      const log = existsSync(join(dir, 'postgres.log')) ? readFileSync(join(dir, 'postgres.log'), 'utf8') : '';
      throw new Error(`${tool} failed while starting the test Postgres: ${result.error?.message ?? `${result.stderr}${result.stdout}`}\n${log}`.trim());
    }
  };
  const stop = (): void => {
    if (existsSync(join(data, 'postmaster.pid'))) {
      try {
        run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
      } catch {
        // Already gone: nothing to stop.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (asRoot) chownSync(dir, postgresUser().uid, postgresUser().gid);
    run('initdb', ['-D', data, '-U', USER, '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions']);
    const settings = [
      `-c port=${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories='${dir}'`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ];
    run('pg_ctl', ['start', '-D', data, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', '-o', settings.join(' ')]);
    const admin = new pg.Client({ host: '127.0.0.1', port, user: USER, database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    stop();
    throw error;
  }
  return { url: `postgresql://${USER}@127.0.0.1:${port}/${DATABASE}`, stop };
}

/** The newest Debian /usr/lib/postgresql/<version>/bin, else initdb and pg_ctl from PATH. */
function findBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error(
    'The Postgres store tests need the PostgreSQL server (initdb and pg_ctl were not found): install it (Debian: apt-get install -y postgresql) or set MUSE_TEST_POSTGRES_URL.',
  );
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0 || !Number.isInteger(gid)) {
    throw new Error(
      'The test Postgres cannot run as root and there is no "postgres" user to run it as: install Debian\'s postgresql package (it creates one) or set MUSE_TEST_POSTGRES_URL.',
    );
  }
  return { uid, gid };
}

// Runs before `npm start` and `npm test`: on a fresh clone, installs the dependencies first, so
// the README's two commands are all the set-up there is. Plain JavaScript: it runs before tsx
// is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * node_modules is stale when a package the lock file names is missing or at another version
 * than npm recorded in node_modules/.package-lock.json. Contents, not file dates: a checkout
 * or a copy can make the lock file look newer than an install that matches it.
 */
function stale() {
  const marker = 'node_modules/.package-lock.json';
  if (!existsSync(marker)) return true;
  try {
    const wanted = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages ?? {};
    const have = JSON.parse(readFileSync(marker, 'utf8')).packages ?? {};
    for (const [path, pkg] of Object.entries(wanted)) {
      if (!path || pkg.optional) continue; // platform-specific optional packages may be absent
      if (have[path]?.version !== pkg.version) return true;
    }
    return false;
  } catch {
    return true;
  }
}

if (stale()) {
  process.stderr.write('Installing dependencies first (npm ci; building SQLite takes a few minutes)...\n');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    process.stderr.write('npm ci failed; see the messages above.\n');
    process.exit(result.status ?? 1);
  }
}

// `npm test` also needs the servers the store tests start for themselves: redis-server and
// PostgreSQL (initdb, pg_ctl). On Debian, as root, install the missing ones.
if (process.argv.includes('--services')) {
  const missing = [];
  if (spawnSync('redis-server', ['--version']).error) missing.push('redis-server');
  if (!hasPostgres()) missing.push('postgresql');
  const canApt = process.getuid?.() === 0 && !spawnSync('apt-get', ['--version']).error;
  if (missing.length > 0 && canApt) {
    process.stderr.write(`Installing ${missing.join(' and ')} for the store tests (apt-get)...\n`);
    spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 2, 2] });
    spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else if (missing.length > 0) {
    process.stderr.write(`The store tests need ${missing.join(' and ')}; install them (Debian: sudo apt-get install -y ${missing.join(' ')}).\n`);
  }
}

/** Debian keeps the server binaries in /usr/lib/postgresql/<version>/bin, off PATH. */
function hasPostgres() {
  const root = '/usr/lib/postgresql';
  const debian = existsSync(root) && readdirSync(root).some((version) => existsSync(`${root}/${version}/bin/initdb`));
  return debian || !spawnSync('initdb', ['--version']).error;
}

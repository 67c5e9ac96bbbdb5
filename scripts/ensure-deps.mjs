// Runs before `npm start` and `npm test`: on a fresh clone, installs the dependencies first, so
// the README's two commands are all the set-up there is. Plain JavaScript: it runs before tsx
// is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

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

// `npm test` also needs redis-server for the Redis store tests: on Debian, as root, install it.
if (process.argv.includes('--redis') && spawnSync('redis-server', ['--version']).error) {
  const canApt = process.getuid?.() === 0 && !spawnSync('apt-get', ['--version']).error;
  if (canApt) {
    process.stderr.write('Installing redis-server for the Redis store tests (apt-get)...\n');
    spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 2, 2] });
    spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    process.stderr.write('The Redis store tests need redis-server; install it (Debian: sudo apt-get install -y redis-server).\n');
  }
}

/**
 * bench/ may use the harness under test/support/ (the loopback fakes, hostile inputs, the
 * multi-process driver, and what they are built from there), and nothing else of test/: the
 * benches must not depend on test suites, nor on anything that needs vitest to run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SPECIFIERS = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative imports of a TypeScript file, as repository paths (.js written, .ts on disk). */
function importsOf(file: string): string[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  return [...source.matchAll(SPECIFIERS)]
    .map((m) => m[1] ?? m[2]!)
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).replace(/\.js$/, '.ts'));
}

describe('bench/ and test/', () => {
  it('bench/ reaches into test/ only for the harness under test/support/, which never needs vitest', () => {
    const benches = readdirSync(join(ROOT, 'bench'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `bench/${f}`);
    expect(benches.length).toBeGreaterThan(3);
    const direct = benches.flatMap(importsOf).filter((f) => f.startsWith('test/'));
    for (const file of direct) expect(file).toMatch(/^test\/support\/[a-z-]+\.ts$/);
    // ...and what those fakes import from test/ stays in test/support/.
    const seen = new Set<string>();
    const queue = [...direct];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      expect(readFileSync(join(ROOT, file), 'utf8'), `${file} needs vitest`).not.toMatch(/from ['"]vitest['"]/);
      for (const next of importsOf(file).filter((f) => f.startsWith('test/'))) {
        expect(next, `${file} imports ${next}`).toMatch(/^test\/support\//);
        queue.push(next);
      }
    }
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { features } from '../../commands/index.js';
import { Registry } from '../../src/engine/registry.js';
import { english } from '../../src/i18n/index.js';

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('keys the guard in areas.test.ts does not see', () => {
  new Registry(features);

  it("has an English sentence for every key of an ImportError('a.b') and a UserFacingError.of(code, 'a.b')", () => {
    const missing: string[] = [];
    let seen = 0;
    for (const file of [...sources('src'), ...sources('commands')]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bImportError\(\s*'([a-zA-Z]+\.[\w.]+)'|\.of\(\s*'\w+',\s*'([a-zA-Z]+\.[\w.]+)'/g)) {
        const key = m[1] ?? m[2]!;
        seen++;
        // i18next answers a key it lacks with the key itself.
        if (english(key) === key) missing.push(`${file}: ${key}`);
      }
    }
    expect(seen).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});

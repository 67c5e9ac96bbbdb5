import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDependencies } from '../../scripts/check-deps.js';
import { MAX_LINES, oversized } from '../../scripts/check-size.js';

/**
 * The lint rules fail on a seeded violation: each case copies the repository's configuration
 * (.dependency-cruiser.cjs, tsconfig.json, package.json) into a small tree shaped like Muse's,
 * adds one offending file and runs the same check `npm run lint` runs. The clean tree passes, so
 * a rule that fires on everything fails here too.
 */

const repo = join(import.meta.dirname, '../..');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** engine → util, story → engine, commands → story, app → commands + engine: the layers, no violation. */
const CLEAN: Record<string, string> = {
  'src/util/lock.ts': 'export const lock = (): number => 1;\n',
  'src/engine/engine.ts': "import { lock } from '../util/lock.js';\nexport const engine = (): number => lock();\n",
  'src/features/story/index.ts': "import { engine } from '../../engine/engine.js';\nexport const story = (): number => engine();\n",
  'commands/index.ts': "import { story } from '../src/features/story/index.js';\nexport const features = [story];\n",
  'src/app.ts':
    "import { features } from '../commands/index.js';\nimport { engine } from './engine/engine.js';\nexport const app = (): number => engine() + features.length;\n",
};

function tree(extra: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'muse-lint-'));
  made.push(root);
  for (const file of ['.dependency-cruiser.cjs', 'tsconfig.json', 'package.json']) copyFileSync(join(repo, file), join(root, file));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries({ ...CLEAN, ...extra })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('dependency rules (scripts/check-deps.ts with .dependency-cruiser.cjs)', () => {
  it('pass a tree that keeps the layers', async () => {
    const report = await checkDependencies(tree());
    expect(report.violations).toEqual([]);
    expect(report.folderCycles).toEqual([]);
    expect(report.text).toBe('');
  });

  it('fail when the engine imports a feature, and name the folder cycle it makes', async () => {
    const report = await checkDependencies(
      tree({ 'src/engine/peek.ts': "import { story } from '../features/story/index.js';\nexport const peek = (): number => story();\n" }),
    );
    expect(report.violations).toContainEqual(
      expect.objectContaining({ rule: 'core-names-no-feature', from: 'src/engine/peek.ts', to: 'src/features/story/index.ts' }),
    );
    expect(report.folderCycles.map((c) => c.folders)).toEqual([['src/engine', 'src/features']]);
    expect(report.text).toContain('core-names-no-feature');
  });

  it('fail on a cycle of files', async () => {
    const report = await checkDependencies(
      tree({
        'src/util/a.ts': "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n",
        'src/util/b.ts': "import { a } from './a.js';\nexport const b = (): number => (Math.random() > 2 ? a() : 0);\n",
      }),
    );
    const cycles = report.violations.filter((v) => v.rule === 'no-circular');
    expect(cycles.length).toBeGreaterThan(0);
    for (const cycle of cycles) expect([...new Set([cycle.from, ...cycle.cycle])].sort()).toEqual(['src/util/a.ts', 'src/util/b.ts']);
  });

  it('fail on a cycle of folders that no single file is part of', async () => {
    const report = await checkDependencies(
      tree({
        'src/memory/rows.ts': "import { price } from '../model/price.js';\nexport const rows = (): number => price();\n",
        'src/model/price.ts': 'export const price = (): number => 2;\n',
        'src/model/cache.ts': "import { size } from '../memory/size.js';\nexport const cache = (): number => size();\n",
        'src/memory/size.ts': 'export const size = (): number => 3;\n',
      }),
    );
    expect(report.violations).toEqual([]);
    expect(report.folderCycles).toEqual([
      { folders: ['src/memory', 'src/model'], imports: ['src/memory/rows.ts → src/model/price.ts', 'src/model/cache.ts → src/memory/size.ts'] },
    ]);
    expect(report.text).toContain('no-folder-cycle: src/memory ⇄ src/model');
  });

  it('fail when discord.js is imported outside the Discord adapter, and not inside it', async () => {
    const gateway = "import { Client } from 'discord.js';\nexport const gateway = (): unknown => Client;\n";
    const outside = await checkDependencies(tree({ 'src/engine/gateway.ts': gateway }));
    expect(outside.violations).toEqual([
      expect.objectContaining({
        rule: 'discord-only-in-discord-adapter',
        from: 'src/engine/gateway.ts',
        to: expect.stringMatching(/node_modules\/discord\.js\//),
      }),
    ]);
    const inside = await checkDependencies(tree({ 'src/adapters/discord/gateway.ts': gateway }));
    expect(inside.violations).toEqual([]);
  });
});

describe('file-size rule (scripts/check-size.ts)', () => {
  const lines = (n: number) => 'export const x = 1;\n'.repeat(n);

  it(`allows ${MAX_LINES} lines and names a file in src/ or commands/ with one more`, () => {
    const root = tree({ 'src/engine/full.ts': lines(MAX_LINES), 'commands/long.ts': lines(MAX_LINES + 1), 'src/features/story/long.ts': lines(MAX_LINES + 5) });
    expect(oversized(root)).toEqual([
      { file: 'src/features/story/long.ts', lines: MAX_LINES + 5 },
      { file: 'commands/long.ts', lines: MAX_LINES + 1 },
    ]);
  });
});

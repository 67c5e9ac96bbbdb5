/**
 * `npm run bench`: measures in one run and prints readable lines, then one JSON object as the
 * last line (the figures issues ask for). Speed is measured here, never asserted in tests.
 */
import { existsSync } from 'node:fs';
import { benchEngine } from './engine.js';

const figures: Record<string, number> = {};
const log = (line: string) => process.stdout.write(`${line}\n`);

Object.assign(figures, await benchEngine(log));
for (const [file, fn] of [
  ['./discord.js', 'benchDiscord'],
  ['./slack.js', 'benchSlack'],
  ['./poetry.js', 'benchPoetry'],
  ['./hostile.js', 'benchHostile'],
  ['./fair-use.js', 'benchFairUse'],
  ['./scale.js', 'benchScale'],
  ['./local.js', 'benchLocal'],
] as const) {
  if (!existsSync(new URL(file.replace('.js', '.ts'), import.meta.url))) continue;
  const mod = (await import(file)) as Record<string, () => Promise<Record<string, number>>>;
  const result = await mod[fn]!();
  for (const [k, v] of Object.entries(result)) log(`${k}: ${v}`);
  Object.assign(figures, result);
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exit(0);

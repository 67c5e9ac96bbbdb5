// The file-size rule, run by `npm run lint`: no file in src/ or commands/ over 300 lines. A file
// that grows past it is split by responsibility, not by line count.
//
//   tsx scripts/check-size.ts [root]    exits 1 and names every file over the limit
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const MAX_LINES = 300;
const CHECKED = ['src', 'commands'];

/** Lines as `wc -l` counts them, plus a last line without its newline. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

function* filesUnder(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // a folder that is not there has nothing too big
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

/** Every file over the limit under `root`'s src/ and commands/, with its line count. */
export function oversized(root: string, max = MAX_LINES): { file: string; lines: number }[] {
  const found: { file: string; lines: number }[] = [];
  for (const folder of CHECKED) {
    for (const path of filesUnder(join(root, folder))) {
      const lines = lineCount(readFileSync(path, 'utf8'));
      if (lines > max) found.push({ file: relative(root, path), lines });
    }
  }
  return found;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const found = oversized(resolve(process.argv[2] ?? '.'));
  for (const { file, lines } of found)
    process.stdout.write(`  error file-size: ${file} has ${lines} lines (at most ${MAX_LINES}); split it by responsibility\n`);
  if (found.length > 0) process.exitCode = 1;
  else process.stdout.write(`file sizes: nothing in ${CHECKED.join('/ or ')}/ over ${MAX_LINES} lines\n`);
}

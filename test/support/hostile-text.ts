/**
 * Text that makes a backtracking regular expression slow, by family: each maker returns a
 * story beat whose hostile part is `n` characters long. Used by the fuzz tests (which check
 * that the cost grows linearly) and by `bench/hostile.ts` (which times them at ~20 kB).
 */
export const hostileBeats: Readonly<Record<string, (n: number) => string>> = {
  'a label followed by a line of spaces': (n) => `The door creaks.\nChoices${' '.repeat(n)}x\n1. Run\n2. Hide`,
  'a line of spaces': (n) => `The door creaks.\n${' '.repeat(n)}x`,
  'an item of spaces': (n) => `The door creaks.\n1.${' '.repeat(n)}\u2028x\n2. Hide`,
  'a run of asterisks inside an item': (n) => `The door creaks.\n1. Run${'*'.repeat(n)}x\n2. Hide`,
  'a run of underscores inside an item': (n) => `The door creaks.\n1. Run${'_'.repeat(n)}x\n2. Hide`,
  'digits and dots': (n) => `The door creaks.\n${'1.'.repeat(n / 2)}`,
  'digits and spaces': (n) => `The door creaks.\n1${' 1'.repeat(n / 2)}\n2. Hide`,
  parentheses: (n) => `The door creaks.\n${'(1'.repeat(n / 2)}\n(2) Hide`,
  'heading marks': (n) => `The door creaks.\n${'#'.repeat(n)} x\n1. Run\n2. Hide`,
  'thousands of items': (n) => `The door creaks.\n${'1. Run\n'.repeat(n / 7)}`,
};

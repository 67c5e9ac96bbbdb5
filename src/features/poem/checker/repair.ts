import type { PoemCheck } from './forms.js';

/**
 * The message that asks the model to repair a poem: what is wrong, line by line, then the
 * form's rules and the task again (so the request stands on its own).
 */
export function repairRequest(check: PoemCheck, formName: string, ask: string, topic: string): string {
  return [
    `Your poem does not keep the form of a ${formName} yet. Line by line:`,
    ...check.notes.map((n) => `- ${n}`),
    '',
    `Rewrite the whole poem so that every line keeps the form, fixing the lines marked ✗ and keeping what works. Output only the poem, one line per line, with no title and no comments.`,
    `The task: write ${ask}, about: ${topic}`,
  ].join('\n');
}

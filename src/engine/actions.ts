import type { ActionRun } from './parts.js';
import type { PlanInput } from './plan.js';

/**
 * Buttons carry their action as a compact string, the same on every platform: Discord's
 * custom_id (at most 100 characters) and Slack's button value. A click decodes back to the
 * structured command, which the engine plans and runs as the person who clicked.
 *
 *   muse:story.vote?choice=2&poll=1a2b3c4d      muse#2:story.version?n=1&beat=5 (a second
 *   button with the same action under one message: ids must be unique there)
 */
const PREFIX = 'muse';
/** Discord's limit for a custom_id. */
export const MAX_ENCODED = 100;
/** The longest prefix: 'muse#99:'. */
const MAX_PREFIX = `${PREFIX}#99:`.length;

/** The button string for `run` (`copy` 2, 3, … for repeats under one message). Throws when it would not fit: a programming error. */
export function encodeAction(run: ActionRun, copy = 1): string {
  if (!Number.isInteger(copy) || copy < 1 || copy > 99) throw new Error(`A button copy number must be from 1 to 99, not ${copy}.`);
  let body = name(run.command) + (run.sub ? `.${name(run.sub)}` : '');
  const options = Object.entries(run.options ?? {});
  if (options.length) body += `?${new URLSearchParams(options.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
  if (body.length > MAX_ENCODED - MAX_PREFIX) {
    throw new Error(`The action of a button is ${body.length} characters encoded; buttons hold at most ${MAX_ENCODED - MAX_PREFIX}: ${body.slice(0, 40)}…`);
  }
  return `${PREFIX}${copy === 1 ? '' : `#${copy}`}:${body}`;
}

const ENCODED = /^muse(?:#\d{1,2})?:([^?/]+)(?:\?(.*))?$/s;
const LEGACY = /^(?:muse(?:#\d+)?:)?(\/.*)$/s;

/**
 * What a clicked button asks for, or undefined when the string is not a Muse button. Buttons
 * posted before actions were structured carry a command line ('muse:/story continue' on
 * Discord, '/story continue' on Slack): those come back as text.
 */
export function decodeAction(encoded: string): PlanInput | undefined {
  const legacy = LEGACY.exec(encoded);
  if (legacy) return { text: legacy[1]!.trim() };
  const m = ENCODED.exec(encoded);
  if (!m) return undefined;
  const [command, sub, extra] = m[1]!.split('.');
  if (!command || extra !== undefined) return undefined;
  try {
    const options: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(m[2] ?? '')) options[k] = v;
    return { command: { name: decodeURIComponent(command), ...(sub ? { sub: decodeURIComponent(sub) } : {}), ...(m[2] ? { options } : {}) } };
  } catch {
    return undefined; // malformed percent-encoding: not one of ours
  }
}

/** A command or subcommand name, with '.' (which separates them) escaped too. */
function name(part: string): string {
  return encodeURIComponent(part).replace(/\./g, '%2E');
}

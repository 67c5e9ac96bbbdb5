import { UserFacingError } from './parts.js';
import { usage, type ResolvedCommand } from './spec.js';

/**
 * Checks options against a command's spec: required ones present, choices respected, lengths
 * within bounds. Returns the cleaned options or throws a UserFacingError with one sentence.
 * Used for both the text form and structured (Discord) options.
 */
export function validateOptions(resolved: ResolvedCommand, raw: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  const known = new Set(resolved.options.map((o) => o.name));
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) {
      throw new UserFacingError('bad_input', `/${resolved.path} has no option "${name}". Usage: ${usage(resolved)}`);
    }
  }
  for (const spec of resolved.options) {
    if (spec.type === 'attachment') continue; // files come as attachments, checked by the command
    const value = raw[spec.name]?.trim();
    if (!value) {
      if (spec.required) {
        throw new UserFacingError('bad_input', `/${resolved.path} needs ${spec.name === 'text' ? 'some text' : `a ${spec.name}`}. Usage: ${usage(resolved)}`);
      }
      continue;
    }
    if (spec.maxLength !== undefined && value.length > spec.maxLength) {
      throw new UserFacingError('bad_input', `The ${spec.name} is ${value.length.toLocaleString('en-US')} characters long; /${resolved.path} takes at most ${spec.maxLength.toLocaleString('en-US')}.`);
    }
    if (spec.choices) {
      const lower = value.toLowerCase();
      const choice = spec.choices.find((c) => c.value.toLowerCase() === lower || c.label.toLowerCase() === lower || c.labelZh === value);
      if (!choice) {
        throw new UserFacingError('bad_input', `The ${spec.name} "${value}" is not one of: ${spec.choices.map((c) => c.value).join(', ')}.`);
      }
      out[spec.name] = choice.value;
      continue;
    }
    out[spec.name] = value;
  }
  return out;
}

import { UserFacingError } from './parts.js';
import { usage, type OptionInput, type OptionSpec, type OptionValue, type Options, type ResolvedCommand } from './spec.js';

const ON = new Set(['on', 'true', 'yes', '开', '是']);
const OFF = new Set(['off', 'false', 'no', '关', '否']);

/**
 * Checks options against a command's spec, once, for the text form and structured commands
 * alike: no unknown option, required ones present, then each value as its type says (a whole
 * number within its bounds, on/off, one of the choices, not too long). Returns the typed values
 * or throws a UserFacingError with one sentence.
 */
export function validateOptions(resolved: ResolvedCommand, raw: Readonly<Record<string, OptionInput | undefined>>): Options {
  const out: Record<string, OptionValue> = {};
  const known = new Set(resolved.options.map((o) => o.name));
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) {
      throw UserFacingError.of('bad_input', 'options.unknown', { command: resolved.path, name, usage: usage(resolved) });
    }
  }
  for (const spec of resolved.options) {
    if (spec.type === 'attachment') continue; // files come as attachments, checked by the command
    const given = raw[spec.name];
    const value = typeof given === 'string' ? given.trim() : given;
    if (value === undefined || value === '') {
      if (spec.required) {
        const vars = { command: resolved.path, name: spec.name, usage: usage(resolved) };
        throw UserFacingError.of('bad_input', spec.name === 'text' ? 'options.needsText' : 'options.needs', vars);
      }
      continue;
    }
    out[spec.name] = typedValue(spec, value, resolved.path);
  }
  return out;
}

function typedValue(spec: OptionSpec, value: OptionInput, path: string): OptionValue {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const n = typeof value === 'number' ? value : numberOf(String(value), spec.type === 'integer');
      const whole = spec.type === 'integer';
      if (
        n === undefined ||
        !Number.isFinite(n) ||
        (whole && !Number.isInteger(n)) ||
        (spec.min !== undefined && n < spec.min) ||
        (spec.max !== undefined && n > spec.max)
      ) {
        throw notANumber(spec, whole, String(value));
      }
      return n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const word = String(value).toLowerCase();
      if (ON.has(word)) return true;
      if (OFF.has(word)) return false;
      if (spec.explain) throw UserFacingError.of('bad_input', 'options.explained', { explain: spec.explain, value: String(value) });
      throw UserFacingError.of('bad_input', 'options.onOff', { name: spec.name, value: String(value) });
    }
    default: {
      const text = String(value);
      if (spec.maxLength !== undefined && text.length > spec.maxLength) {
        throw UserFacingError.of('bad_input', 'options.tooLong', {
          name: spec.name,
          length: text.length.toLocaleString('en-US'),
          command: path,
          max: spec.maxLength.toLocaleString('en-US'),
        });
      }
      if (!spec.choices) return text;
      const lower = text.toLowerCase();
      const choice = spec.choices.find((c) => c.value.toLowerCase() === lower || c.label.toLowerCase() === lower || c.labelZh === text);
      if (!choice)
        throw UserFacingError.of('bad_input', 'options.notAChoice', { name: spec.name, value: text, choices: spec.choices.map((c) => c.value).join(', ') });
      return choice.value;
    }
  }
}

/** A number written in text: digits (with a sign; for a number, a decimal point). */
function numberOf(text: string, whole: boolean): number | undefined {
  const pattern = whole ? /^[+-]?\d+$/ : /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
  return pattern.test(text) ? Number(text) : undefined;
}

/** The sentence for a value that is not a number in the option's bounds. */
function notANumber(spec: OptionSpec, whole: boolean, value: string): UserFacingError {
  if (spec.explain) return UserFacingError.of('bad_input', 'options.explained', { explain: spec.explain, value });
  const kind = whole ? 'whole' : 'number';
  const vars = { name: spec.name, value, ...(spec.min !== undefined ? { min: spec.min } : {}), ...(spec.max !== undefined ? { max: spec.max } : {}) };
  if (spec.min !== undefined && spec.max !== undefined) return UserFacingError.of('bad_input', `options.${kind}FromTo`, vars);
  if (spec.min !== undefined) return UserFacingError.of('bad_input', `options.${kind}AtLeast`, vars);
  if (spec.max !== undefined) return UserFacingError.of('bad_input', `options.${kind}AtMost`, vars);
  return UserFacingError.of('bad_input', `options.${kind}`, vars);
}

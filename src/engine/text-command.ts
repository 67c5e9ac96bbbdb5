import { UserFacingError, type ActionRun } from './parts.js';
import { isGroup, resolveCommand, type CommandSpec, type OptionSpec, type ResolvedCommand } from './spec.js';

export interface ParsedCommand {
  resolved: ResolvedCommand;
  /** Raw option values, not yet validated (see validateOptions). */
  options: Record<string, string>;
}

/** Finds a command by its name or its Slack name. */
export function findCommand(commands: readonly CommandSpec[], name: string): CommandSpec | undefined {
  const wanted = name.toLowerCase();
  return commands.find((c) => c.name === wanted || c.slackName === wanted);
}

/**
 * Parses the text form used by Slack and the terminal: `/poem autumn leaves form:haiku`,
 * `/story new a brave fox persona:storyteller`, `/lore add key:Ember a red dragon`.
 * Options are written `name:value` as Discord shows them; the main free-text option may be
 * written bare as the rest of the line, and a named free-text option runs to the next option.
 * Other options take one word, or a "quoted value".
 */
export function parseCommandLine(line: string, commands: readonly CommandSpec[]): ParsedCommand {
  const body = line.trim().replace(/^\//, '');
  const head = /^(\S+)\s*([\s\S]*)$/.exec(body);
  if (!head) throw UserFacingError.of('bad_input', 'plan.emptyCommand');
  const name = head[1]!;
  let rest = head[2]!;
  const command = findCommand(commands, name);
  if (!command) throw UserFacingError.of('bad_input', 'plan.unknownCommand', { command: name });

  let resolved: ResolvedCommand | undefined;
  if (command.subcommands) {
    const first = /^(\S+)\s*([\s\S]*)$/.exec(rest);
    const subName = first?.[1]?.toLowerCase();
    const group = command.subcommands.find((s) => s.name === subName);
    if (group && isGroup(group)) {
      // A group: the next word names its subcommand (`/story cast add Mira`).
      const second = /^(\S+)\s*([\s\S]*)$/.exec(first![2]!);
      const inner = second?.[1]?.toLowerCase();
      resolved = inner ? resolveCommand(command, `${group.name} ${inner}`) : undefined;
      if (!resolved) {
        const subs = group.subcommands.map((s) => s.name).join(', ');
        const where = `${command.name} ${group.name}`;
        if (inner) throw UserFacingError.of('bad_input', 'plan.noSubcommand', { command: where, sub: inner, subs });
        throw UserFacingError.of('bad_input', 'plan.needsSubcommand', { command: where, subs });
      }
      rest = second![2]!;
    } else {
      resolved = subName ? resolveCommand(command, subName) : undefined;
      if (resolved) rest = first![2]!;
      else if (command.defaultSubcommand) resolved = resolveCommand(command, command.defaultSubcommand);
    }
    if (!resolved) {
      const subs = command.subcommands.map((s) => s.name).join(', ');
      if (subName) throw UserFacingError.of('bad_input', 'plan.noSubcommand', { command: command.name, sub: subName, subs });
      throw UserFacingError.of('bad_input', 'plan.needsSubcommand', { command: command.name, subs });
    }
  } else {
    resolved = resolveCommand(command);
    if (!resolved) throw UserFacingError.of('bad_input', 'plan.unknownCommand', { command: name });
  }
  return { resolved, options: parseOptions(resolved, rest) };
}

function parseOptions(resolved: ResolvedCommand, text: string): Record<string, string> {
  const specs = resolved.options;
  const options: Record<string, string> = {};
  if (specs.length === 0) {
    if (text.trim()) throw UserFacingError.of('bad_input', 'plan.noOptions', { command: resolved.path, got: clip(text.trim()) });
    return options;
  }
  const names = specs.map((o) => o.name).join('|');
  const marker = new RegExp(`(?:^|\\s)(${names}):`, 'gi');
  const markers: Array<{ name: string; start: number; valueStart: number }> = [];
  for (const m of text.matchAll(marker)) {
    markers.push({ name: m[1]!.toLowerCase(), start: m.index, valueStart: m.index + m[0].length });
  }
  let bare = markers.length > 0 ? text.slice(0, markers[0]!.start) : text;
  for (let i = 0; i < markers.length; i++) {
    const mk = markers[i]!;
    const segment = text.slice(mk.valueStart, i + 1 < markers.length ? markers[i + 1]!.start : text.length).trim();
    const spec = specs.find((o) => o.name === mk.name)!;
    if (mk.name in options) throw UserFacingError.of('bad_input', 'plan.optionTwice', { name: mk.name });
    if (spec.rest) {
      options[mk.name] = unquote(segment);
      continue;
    }
    const word = /^("[^"]*"|“[^”]*”|\S*)\s*([\s\S]*)$/.exec(segment)!;
    options[mk.name] = unquote(word[1]!);
    if (word[2]) bare = `${bare} ${word[2]}`;
  }
  bare = bare.trim();
  if (!bare) return options;
  const restSpec = specs.find((o) => o.rest);
  if (restSpec && !(restSpec.name in options)) {
    options[restSpec.name] = bare;
    return options;
  }
  // No free-text option left: bare words fill the remaining options in order, one word each.
  const words = bareWords(bare);
  for (const spec of specs) {
    if (words.length === 0) break;
    if (spec.name in options) continue;
    options[spec.name] = unquote(words.shift()!);
  }
  if (words.length > 0) {
    throw UserFacingError.of('bad_input', 'plan.notUnderstood', { words: clip(words.join(' ')), command: resolved.path });
  }
  return options;
}

/**
 * The words of `text`: a "quoted value", a “curly quoted value”, or a run of non-space, as
 * text.match(/"[^"]*"|“[^”]*”|\S+/g) finds them, but without rescanning the rest of the text
 * for every unclosed quote (which made that pattern quadratic on a line of “a “a “a …).
 */
function bareWords(text: string): string[] {
  const words: string[] = [];
  const unclosed = new Set<string>();
  const isSpace = (at: number) => /\s/.test(text[at]!);
  let at = 0;
  for (;;) {
    while (at < text.length && isSpace(at)) at++;
    if (at >= text.length) return words;
    const close = text[at] === '"' ? '"' : text[at] === '“' ? '”' : undefined;
    const end = close && !unclosed.has(close) ? text.indexOf(close, at + 1) : -1;
    if (close && end < 0) unclosed.add(close);
    let next = end + 1;
    if (end < 0) for (next = at; next < text.length && !isSpace(next); next++);
    words.push(text.slice(at, next));
    at = next;
  }
}

function unquote(value: string): string {
  const v = value.trim();
  if ((v.startsWith('"') && v.endsWith('"') && v.length >= 2) || (v.startsWith('“') && v.endsWith('”'))) return v.slice(1, -1).trim();
  return v;
}

function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** An action as a command line in text form ('/story version n:2 beat:5'), for a surface without buttons. */
export function commandLine(run: ActionRun): string {
  const options = Object.entries(run.options ?? {}).map(([k, v]) => `${k}:${quoted(String(v))}`);
  return ['/' + run.command, ...(run.sub ? [run.sub] : []), ...options].join(' ');
}

function quoted(value: string): string {
  return /\s|^$/.test(value) ? `"${value}"` : value;
}

/** The option `at.option` of the command (and subcommand) `at`, if there is one. */
export function optionAt(commands: readonly CommandSpec[], at: { command: string; sub?: string; option: string }): OptionSpec | undefined {
  const spec = findCommand(commands, at.command);
  return spec && resolveCommand(spec, at.sub)?.options.find((o) => o.name === at.option);
}

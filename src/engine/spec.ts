import type { ConversationMeta } from '../memory/types.js';
import type { ReplyPart } from './parts.js';
import type { Session } from './session.js';

/**
 * A platform-neutral command spec. Adapters translate the same specs into Discord application
 * commands, Slack slash commands and the terminal's `/command sub text` form.
 */
export interface Localized {
  name?: string;
  description: string;
}

export interface OptionSpec {
  name: string;
  description: string;
  /**
   * 'attachment': a file (Discord shows a file picker); it arrives in Inbound.attachments /
   * session.attachments, not among the string options. Default 'string'.
   */
  type?: 'string' | 'attachment';
  required?: boolean;
  /** Fixed values (Discord shows them as choices). */
  choices?: Array<{ value: string; label: string; labelZh?: string }>;
  /** Values suggested while typing. */
  autocomplete?: 'persona';
  /** The main free-text option: in the text form it may be written bare, as the rest of the line. */
  rest?: boolean;
  maxLength?: number;
  zh?: Localized;
}

export interface CommandInvocation {
  options: Record<string, string>;
  session: Session;
  /** What the engine was built with (help lists the commands; memory asks every feature). */
  registry: CommandRegistry;
}

/** The registered features as a command sees them. */
export interface CommandRegistry {
  /** Every command, in registry order. */
  readonly commands: readonly CommandSpec[];
  /** Lines for `/memory show`: what each feature keeps in this conversation's settings. */
  describe(meta: ConversationMeta): string[];
}

export type CommandHandler = (call: CommandInvocation) => AsyncIterable<ReplyPart>;

export interface SubcommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** Needs Manage Channels on Discord / an admin on Slack when used in a shared channel. */
  managerOnly?: boolean;
  zh?: Localized;
  run: CommandHandler;
}

export interface CommandSpec {
  name: string;
  description: string;
  /** Slack slash command name when it differs (Slack reserves /help). */
  slackName?: string;
  zh?: Localized;
  /** Either subcommands ... */
  subcommands?: SubcommandSpec[];
  /** In the text form, a first word that is not a subcommand selects this one. */
  defaultSubcommand?: string;
  /** ... or options and a handler of its own. */
  options?: OptionSpec[];
  managerOnly?: boolean;
  run?: CommandHandler;
}

/** The callable unit: a command without subcommands, or one subcommand. */
export interface ResolvedCommand {
  command: CommandSpec;
  sub?: SubcommandSpec;
  options: OptionSpec[];
  managerOnly: boolean;
  run: CommandHandler;
  /** "story new", "poem". */
  path: string;
}

export function resolveCommand(command: CommandSpec, subName?: string): ResolvedCommand | undefined {
  if (command.subcommands) {
    const sub = command.subcommands.find((s) => s.name === subName);
    if (!sub) return undefined;
    return { command, sub, options: sub.options, managerOnly: !!sub.managerOnly, run: sub.run, path: `${command.name} ${sub.name}` };
  }
  if (!command.run || subName) return undefined;
  return { command, options: command.options ?? [], managerOnly: !!command.managerOnly, run: command.run, path: command.name };
}

/** "/story new <premise> [persona]" */
export function usage(resolved: ResolvedCommand): string {
  const opts = resolved.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return ['/' + resolved.path, ...opts].join(' ');
}

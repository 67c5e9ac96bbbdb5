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

/**
 * What a command needs of the speaker: 'manager' is Manage Channels on Discord (or the manager
 * role), an admin or the manager group on Slack, when used in a shared channel.
 */
export type Requirement = 'manager';

/**
 * Where a command runs on a platform that can move it: 'dm' in the speaker's direct messages
 * (it is private), 'thread' in a new thread named from its main free-text option.
 */
export type Placement = 'dm' | 'thread';

/** What the adapter says where the command was used: `moved` when it moved (`{where}` names the thread), `failed` when a DM could not be opened. */
export interface PlacementNotes {
  moved: string;
  failed?: string;
}

/** What a command or a subcommand declares besides its options and handler. */
interface Callable {
  requires?: readonly Requirement[];
  placement?: Placement;
  placementNotes?: PlacementNotes;
}

export interface SubcommandSpec extends Callable {
  name: string;
  description: string;
  options: OptionSpec[];
  zh?: Localized;
  run: CommandHandler;
}

export interface CommandSpec extends Callable {
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
  run?: CommandHandler;
}

/** The callable unit: a command without subcommands, or one subcommand. */
export interface ResolvedCommand {
  command: CommandSpec;
  sub?: SubcommandSpec;
  options: OptionSpec[];
  requires: readonly Requirement[];
  placement?: Placement;
  placementNotes?: PlacementNotes;
  run: CommandHandler;
  /** "story new", "poem". */
  path: string;
}

export function resolveCommand(command: CommandSpec, subName?: string): ResolvedCommand | undefined {
  if (command.subcommands) {
    const sub = command.subcommands.find((s) => s.name === subName);
    if (!sub) return undefined;
    return { command, sub, options: sub.options, ...declared(sub), run: sub.run, path: `${command.name} ${sub.name}` };
  }
  if (!command.run || subName) return undefined;
  return { command, options: command.options ?? [], ...declared(command), run: command.run, path: command.name };
}

function declared(spec: Callable): Pick<ResolvedCommand, 'requires' | 'placement' | 'placementNotes'> {
  return {
    requires: spec.requires ?? [],
    ...(spec.placement ? { placement: spec.placement } : {}),
    ...(spec.placementNotes ? { placementNotes: spec.placementNotes } : {}),
  };
}

/** "/story new <premise> [persona]" */
export function usage(resolved: ResolvedCommand): string {
  const opts = resolved.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return ['/' + resolved.path, ...opts].join(' ');
}

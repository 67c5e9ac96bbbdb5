import type { Localized as Sentence, Translate } from '../i18n/index.js';
import type { ConversationMeta } from '../memory/types.js';
import type { ReplyPart } from './parts.js';
import type { Session } from './session.js';

/**
 * A platform-neutral command spec. Adapters translate the same specs into Discord application
 * commands, Slack slash commands and the terminal's `/command sub text` form; the engine
 * validates options against them once and hands the handler typed values.
 */
export interface Localized {
  name?: string;
  description: string;
}

/**
 * 'string' (the default), 'integer', 'number', 'boolean' (on/off in the text form), or
 * 'attachment': a file (Discord shows a file picker), which arrives in session.attachments,
 * not among the options.
 */
export type OptionType = 'string' | 'integer' | 'number' | 'boolean' | 'attachment';

/** A validated option value: a string, a number (integer and number options) or a boolean. */
export type OptionValue = string | number | boolean;

/** A value of an option as a platform sends it (Discord sends numbers and booleans as such). */
export type OptionInput = string | number | boolean;

export interface OptionSpec {
  name: string;
  description: string;
  type?: OptionType;
  required?: boolean;
  /** Fixed values of a string option (Discord shows them as choices). */
  choices?: ReadonlyArray<{ value: string; label: string; labelZh?: string }>;
  /** Bounds of an integer or number option. */
  min?: number;
  max?: number;
  /** Values suggested while typing; a 'persona' option must name a persona that loads. */
  autocomplete?: 'persona';
  /** The main free-text option: in the text form it may be written bare, as the rest of the line. */
  rest?: boolean;
  maxLength?: number;
  /** An attachment option's kinds of file: extensions ('.json') and media types ('image/png'); see engine/accept.ts. */
  accept?: readonly string[];
  /** An attachment option whose picture is shown to the model with the command's reply (checked as images.ts says). */
  image?: boolean;
  /** What a valid value is, for the sentence a wrong one gets (default: from the type and bounds). */
  explain?: string;
  zh?: Localized;
}

/** A command's validated options, by name (an optional one that was not given is absent). */
export type Options = Readonly<Record<string, OptionValue | undefined>>;

export interface CommandInvocation<O = Options> {
  options: O;
  session: Session;
  /** What the engine was built with (help lists the commands; memory asks every feature). */
  registry: CommandRegistry;
}

/** The registered features as a command sees them. */
export interface CommandRegistry {
  /** Every command, in registry order. */
  readonly commands: readonly CommandSpec[];
  /** Lines for `/memory show`: what each feature keeps in this conversation's settings. */
  describe(meta: ConversationMeta, t: Translate): string[];
}

export type CommandHandler = (call: CommandInvocation) => AsyncIterable<ReplyPart>;

/**
 * What a command needs: 'manager' is Manage Channels on Discord (or the manager role), an admin
 * or the manager group on Slack, when used in a shared channel; 'persona-import' is that the
 * operator has not switched persona imports off (MUSE_PERSONA_IMPORT=off).
 */
export type Requirement = 'manager' | 'persona-import';

/**
 * Where a command runs on a platform that can move it: 'dm' in the speaker's direct messages
 * (it is private), 'thread' in a new thread named from its main free-text option.
 */
export type Placement = 'dm' | 'thread';

/**
 * What the adapter says where the command was used: `moved` when it moved (`{where}` names the
 * thread), `failed` when a DM could not be opened; English text, or a sentence by key shown in
 * the speaker's language.
 */
export interface PlacementNotes {
  moved: string | Sentence;
  failed?: string | Sentence;
}

/** What a command or a subcommand declares besides its options and handler. */
interface Callable {
  requires?: readonly Requirement[];
  placement?: Placement;
  placementNotes?: PlacementNotes;
  /** Its answer is for the speaker alone (its messages are ephemeral): a platform acknowledges it privately. */
  private?: boolean;
}

export interface SubcommandSpec extends Callable {
  name: string;
  description: string;
  options: readonly OptionSpec[];
  zh?: Localized;
  run(call: CommandInvocation): AsyncIterable<ReplyPart>;
}

/**
 * A group of subcommands (Discord's SubcommandGroup): `/story cast add`. One level only: a
 * group holds subcommands, never another group. Its path in a plan is "cast add".
 */
export interface SubcommandGroupSpec {
  name: string;
  description: string;
  zh?: Localized;
  subcommands: readonly SubcommandSpec[];
}

/** What a command's `subcommands` holds: subcommands, and groups of them. */
export type SubcommandEntry = SubcommandSpec | SubcommandGroupSpec;

export function isGroup(entry: SubcommandEntry): entry is SubcommandGroupSpec {
  return 'subcommands' in entry;
}

export interface CommandSpec extends Callable {
  name: string;
  description: string;
  /** Slack slash command name when it differs (Slack reserves /help). */
  slackName?: string;
  zh?: Localized;
  /** Either subcommands (and groups of them) ... */
  subcommands?: readonly SubcommandEntry[];
  /** In the text form, a first word that is not a subcommand selects this one. */
  defaultSubcommand?: string;
  /** ... or options and a handler of its own. */
  options?: readonly OptionSpec[];
  run?(call: CommandInvocation): AsyncIterable<ReplyPart>;
}

/** The value type an option spec gives its handler. */
type ValueOf<O> = O extends { type: 'integer' | 'number' }
  ? number
  : O extends { type: 'boolean' }
    ? boolean
    : O extends { choices: ReadonlyArray<{ value: infer V }> }
      ? V
      : string;

/** The typed options of a spec's option list: required ones present, the others possibly absent. */
export type OptionsOf<Os extends readonly OptionSpec[]> = {
  readonly [O in Os[number] as O extends { type: 'attachment' } ? never : O['name']]: O extends { required: true } ? ValueOf<O> : ValueOf<O> | undefined;
};

type Typed<S, O extends readonly OptionSpec[]> = Omit<S, 'options' | 'run'> & {
  options: O;
  run(call: CommandInvocation<OptionsOf<O>>): AsyncIterable<ReplyPart>;
};

/** A subcommand whose handler gets its options typed from the spec (the engine validated them against it). */
export function subcommand<const O extends readonly OptionSpec[]>(spec: Typed<SubcommandSpec, O>): SubcommandSpec {
  return spec;
}

/** A command without subcommands, its handler's options typed from the spec. */
export function command<const O extends readonly OptionSpec[]>(spec: Typed<Omit<CommandSpec, 'subcommands' | 'defaultSubcommand'>, O>): CommandSpec {
  return spec;
}

/** The callable unit: a command without subcommands, or one subcommand. */
export interface ResolvedCommand {
  command: CommandSpec;
  sub?: SubcommandSpec;
  options: readonly OptionSpec[];
  requires: readonly Requirement[];
  placement?: Placement;
  placementNotes?: PlacementNotes;
  private?: boolean;
  run: CommandHandler;
  /** "story new", "story cast add", "poem". */
  path: string;
  /** The subcommand's name as plans and buttons carry it: "new", "cast add". */
  subPath?: string;
}

/** The callable unit of `command` named by `subName` ("new", or "cast add" in a group). */
export function resolveCommand(command: CommandSpec, subName?: string): ResolvedCommand | undefined {
  if (command.subcommands) {
    const [first, second, extra] = (subName ?? '').split(' ');
    const entry = command.subcommands.find((s) => s.name === first);
    if (!entry || extra !== undefined) return undefined;
    const sub = isGroup(entry) ? entry.subcommands.find((s) => s.name === second) : second === undefined ? entry : undefined;
    if (!sub) return undefined;
    const subPath = isGroup(entry) ? `${entry.name} ${sub.name}` : sub.name;
    return { command, sub, options: sub.options, ...declared(sub), run: (call) => sub.run(call), path: `${command.name} ${subPath}`, subPath };
  }
  if (!command.run || subName) return undefined;
  return { command, options: command.options ?? [], ...declared(command), run: (call) => command.run!(call), path: command.name };
}

function declared(spec: Callable): Pick<ResolvedCommand, 'requires' | 'placement' | 'placementNotes' | 'private'> {
  return {
    requires: spec.requires ?? [],
    ...(spec.placement ? { placement: spec.placement } : {}),
    ...(spec.placementNotes ? { placementNotes: spec.placementNotes } : {}),
    ...(spec.private ? { private: true } : {}),
  };
}

/** Every callable unit of a command: the command itself, or each subcommand (groups' included), in order. */
export function callables(command: CommandSpec): ResolvedCommand[] {
  if (!command.subcommands) return [resolveCommand(command)!];
  return command.subcommands.flatMap((entry) =>
    isGroup(entry) ? entry.subcommands.map((s) => resolveCommand(command, `${entry.name} ${s.name}`)!) : [resolveCommand(command, entry.name)!],
  );
}

/** "/story new <premise> [persona]" */
export function usage(resolved: ResolvedCommand): string {
  const opts = resolved.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return ['/' + resolved.path, ...opts].join(' ');
}

/** How a value of a typed option is written, where that says more than its name: "0–600", "on/off". */
export function valueForm(option: OptionSpec): string | undefined {
  if (option.type === 'boolean') return 'on/off';
  if (option.type !== 'integer' && option.type !== 'number') return undefined;
  if (option.min !== undefined && option.max !== undefined) return `${option.min}–${option.max}`;
  if (option.min !== undefined) return `≥ ${option.min}`;
  if (option.max !== undefined) return `≤ ${option.max}`;
  return undefined;
}

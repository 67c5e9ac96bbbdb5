import type { Locale } from '../i18n/index.js';
import type { ConversationRef, Speaker } from './conversation.js';
import type { EngineLimits } from './limits.js';
import type { CanManage } from './manager.js';
import { validateOptions } from './options.js';
import { UserFacingError, type ReplyPart } from './parts.js';
import type { Attachment } from './session.js';
import {
  resolveCommand,
  type CommandSpec,
  type OptionInput,
  type Options,
  type Placement,
  type PlacementNotes,
  type Requirement,
  type ResolvedCommand,
} from './spec.js';
import { findCommand, parseCommandLine } from './text-command.js';

/** A command as a platform gives it already taken apart (Discord's options, a button's action). */
export interface StructuredCommand {
  name: string;
  sub?: string;
  options?: Readonly<Record<string, OptionInput | undefined>>;
}

/** What the engine resolves: a message or a command line in text form, or a structured command. */
export interface PlanInput {
  /** A message, or a command in text form ("/poem autumn form:haiku"). */
  text?: string;
  /** A structured command (Discord application commands, buttons). */
  command?: StructuredCommand;
}

/** Who acts where: what running a plan needs besides the plan. */
export interface RunContext {
  conversation: ConversationRef;
  speaker: Speaker;
  /**
   * Whether the speaker may manage this conversation (change its persona, wipe its state, remove
   * other people's lore). Asked only when a command needs it, at most once, and never in a DM.
   * Unset means no: an adapter says yes explicitly where the speaker manages (the terminal).
   */
  canManage?: CanManage;
  /** Files sent with the message or command. */
  attachments?: Attachment[];
  signal?: AbortSignal;
  /**
   * The speaker's language as the platform gives it (Discord's interaction or server locale,
   * Slack's user locale, LANG): any zh* is zh-CN, else English. The speaker's /language wins.
   */
  locale?: string | undefined;
  /** Told the turn's language once it is known, before the first part (for the words a surface adds itself). */
  onLocale?: ((locale: Locale) => void) | undefined;
}

/** Who asks, and where: enough to know the tenant (see tenantOf). */
export type Asker = Pick<RunContext, 'conversation' | 'speaker'>;

/** A platform-neutral event: who, where, what. */
export interface Inbound extends PlanInput, RunContext {}

/** A message that is not a command: a turn for the conversation's persona (or a feature's turn hook). */
export interface TurnPlan {
  kind: 'turn';
  text: string;
}

/** A command resolved once: the spec, its validated options and what it declares. */
export interface CommandPlan {
  kind: 'command';
  resolved: ResolvedCommand;
  /** Validated and typed, by name. */
  options: Options;
  /** "story new", "poem". */
  path: string;
  requires: readonly Requirement[];
  placement?: Placement;
  placementNotes?: PlacementNotes;
  /** Its answer is for the speaker alone (acknowledge it privately). */
  private?: boolean;
  /** The command has an attachment option: files that came with it are for it. */
  takesFiles: boolean;
  /** The kinds of file its attachment option takes (unset: any); only the first such file is downloaded. */
  accepts?: readonly string[];
  /** Its attachment option's picture is shown to the model (OptionSpec.image). */
  image?: boolean;
  /** The value of its main free-text option (a thread is named from it). */
  mainText?: string;
  /** Its requirements were checked for a speaker (Engine.check). */
  checked?: boolean;
}

/** Bad input or a missing permission: the one sentence the speaker gets. */
export interface Refusal {
  kind: 'refusal';
  part: Extract<ReplyPart, { type: 'error' }>;
}

export type Plan = TurnPlan | CommandPlan | Refusal;

export interface PlanOptions {
  /** Text that names a command without its slash ("lore import" posted with a file) is that command. */
  bareCommand?: boolean;
  /** Pictures came with the message: no text is a turn too (the pictures are what it says). */
  withImages?: boolean;
}

export function refusal(err: UserFacingError): Refusal {
  return { kind: 'refusal', part: { type: 'error', code: err.code, message: err.message, ephemeral: true, ...(err.text ? { text: err.text } : {}) } };
}

/**
 * Resolves what the speaker asked for, once: the command and its validated options, or a plain
 * turn, or a refusal with the sentence that says what is wrong.
 */
export function makePlan(input: PlanInput, commands: readonly CommandSpec[], limits: EngineLimits, opts: PlanOptions = {}): Plan {
  try {
    if (input.command) return commandPlan(...structured(input.command, commands));
    let text = (input.text ?? '').trim();
    if (!text && opts.withImages) return { kind: 'turn', text };
    if (!text) throw UserFacingError.of('bad_input', 'plan.empty');
    if (text.length > limits.maxInputChars) {
      throw UserFacingError.of('bad_input', 'plan.tooLong', {
        length: text.length.toLocaleString('en-US'),
        max: limits.maxInputChars.toLocaleString('en-US'),
      });
    }
    if (!text.startsWith('/') && opts.bareCommand && namesCommand(text, commands)) text = `/${text}`;
    if (!text.startsWith('/')) return { kind: 'turn', text };
    const parsed = parseCommandLine(text, commands);
    return commandPlan(parsed.resolved, parsed.options);
  } catch (err) {
    if (err instanceof UserFacingError) return refusal(err);
    throw err;
  }
}

/** Whether the first word of `text` is a command's name. */
function namesCommand(text: string, commands: readonly CommandSpec[]): boolean {
  const first = /^(\S+)/.exec(text)?.[1];
  return !!first && !!findCommand(commands, first);
}

function structured(command: StructuredCommand, commands: readonly CommandSpec[]): [ResolvedCommand, Readonly<Record<string, OptionInput | undefined>>] {
  const spec = findCommand(commands, command.name);
  const resolved = spec && resolveCommand(spec, command.sub);
  if (!resolved) throw UserFacingError.of('bad_input', 'plan.unknownCommand', { command: [command.name, command.sub].filter(Boolean).join(' ') });
  return [resolved, command.options ?? {}];
}

function commandPlan(resolved: ResolvedCommand, raw: Readonly<Record<string, OptionInput | undefined>>): CommandPlan {
  const options = validateOptions(resolved, raw);
  const main = resolved.options.find((o) => o.rest);
  const value = main ? options[main.name] : undefined;
  const mainText = typeof value === 'string' ? value : undefined;
  const file = resolved.options.find((o) => o.type === 'attachment');
  return {
    kind: 'command',
    resolved,
    options,
    path: resolved.path,
    requires: resolved.requires,
    ...(resolved.placement ? { placement: resolved.placement } : {}),
    ...(resolved.placementNotes ? { placementNotes: resolved.placementNotes } : {}),
    ...(resolved.private ? { private: true } : {}),
    takesFiles: !!file,
    ...(file?.accept ? { accepts: file.accept } : {}),
    ...(file?.image ? { image: true } : {}),
    ...(mainText !== undefined ? { mainText } : {}),
  };
}

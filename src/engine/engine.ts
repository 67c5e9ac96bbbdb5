import { emptyMeta, StoreUnavailableError, type ConversationStore } from '../memory/types.js';
import { ModelError, type ModelBackend } from '../model/types.js';
import type { PersonaRegistry } from '../personas/registry.js';
import { KeyedLock } from '../util/lock.js';
import { findCommand, parseCommandLine } from './text-command.js';
import { conversationKey, type ConversationRef, type Speaker } from './conversation.js';
import type { Feature } from './feature.js';
import { DEFAULT_LIMITS, type EngineLimits } from './limits.js';
import { validateOptions } from './options.js';
import { UserFacingError, type ReplyPart } from './parts.js';
import { systemClock, type Clock } from './clock.js';
import type { Job, JobData, JobStore } from './jobs.js';
import { RecordJobStore } from './record-job-store.js';
import { JobScheduler, type StartOptions } from './scheduler.js';
import { Outboxes, type Outbox } from './outboxes.js';
import { systemPrompt } from './prompt.js';
import { Registry } from './registry.js';
import { ModelFailure } from './reply.js';
import { Session, type Attachment, type SessionDeps } from './session.js';
import { resolveCommand, type CommandHandler, type CommandSpec, type ResolvedCommand } from './spec.js';
import { Summarizer } from './summarizer.js';
import { WindowCache } from './window-cache.js';

/** A platform-neutral event: who, where, what. */
export interface Inbound {
  conversation: ConversationRef;
  speaker: Speaker;
  /** Whether the speaker may change this conversation's settings (unset: yes, e.g. terminal, DMs). */
  canManage?: boolean;
  /** A message, or a command in text form ("/poem autumn form:haiku"). */
  text?: string;
  /** A structured command (Discord application commands, buttons). */
  command?: { name: string; subcommand?: string; options?: Record<string, string | undefined> };
  /** Files sent with the message or command. */
  attachments?: Attachment[];
  signal?: AbortSignal;
}

export interface EngineLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface EngineOptions {
  store: ConversationStore;
  /** Lazily prepared backend (a default model may need a download first). */
  backend: () => Promise<ModelBackend>;
  personas: PersonaRegistry;
  /** What Muse can do: the features, in registry order (see commands/index.ts). */
  features: readonly Feature[];
  defaultPersona?: string;
  limits?: Partial<EngineLimits>;
  logger?: EngineLogger;
  clock?: Clock;
  /** A number in [0, 1) for whatever is left to chance (default Math.random). */
  random?: () => number;
  /** Where scheduled jobs are kept (default: records in `store`). */
  jobStore?: JobStore;
}

export type { Outbox };

/** The speaker of announcements. */
export const MUSE: Speaker = { id: 'muse', name: 'Muse' };

/**
 * The dialogue engine: takes a conversation under its lock (turns run one at a time, in
 * arrival order), loads its memory, runs the command or the plain turn, and streams reply parts.
 * Every stream ends with exactly one 'done' or 'error' part. It never knows a platform.
 */
export class Engine {
  readonly personas: PersonaRegistry;
  private readonly registry: Registry;
  private readonly lock = new KeyedLock();
  private readonly outboxes: Outboxes;
  private readonly scheduler: JobScheduler;
  private readonly clock: Clock;
  private readonly sessionDeps: SessionDeps;
  private readonly cache: WindowCache;
  private readonly summarizer: Summarizer;
  private readonly limits: EngineLimits;
  private readonly log: EngineLogger;

  constructor(private readonly options: EngineOptions) {
    this.registry = new Registry(options.features);
    this.personas = options.personas;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.log = options.logger ?? { error() {}, warn() {}, debug() {} };
    this.cache = new WindowCache(this.limits.maxContextTurns + 2);
    this.clock = options.clock ?? systemClock;
    this.outboxes = new Outboxes(this.log);
    const handlers = this.registry.jobs;
    this.scheduler = new JobScheduler({
      store: options.jobStore ?? new RecordJobStore(options.store),
      clock: this.clock,
      lock: this.lock,
      handles: (name) => Object.hasOwn(handlers, name),
      run: (job) => this.runJob(job),
      log: this.log,
    });
    this.summarizer = new Summarizer({
      store: options.store,
      backend: options.backend,
      lock: this.lock,
      timeoutMs: this.limits.modelTimeoutMs,
      onError: (err, key) => this.log.warn({ err, conversation: key }, 'summary failed; will retry on a later turn'),
    });
    const prompts = this.registry.prompts;
    this.sessionDeps = {
      store: options.store,
      backend: options.backend,
      personas: options.personas,
      defaultPersona: options.defaultPersona ?? 'storyteller',
      limits: this.limits,
      onDropped: (k, m, start) => this.summarizer.schedule(k, m, start),
      cache: this.cache,
      clock: this.clock,
      random: options.random ?? Math.random,
      engine: this,
      lock: this.lock,
      systemPrompt: (input, instruction) => systemPrompt(input, prompts, instruction),
      slots: this.registry.slots(),
      forget: (session) => this.registry.forget(session),
    };
  }

  /** Every command, in registry order (adapters register them with their platform). */
  get commands(): readonly CommandSpec[] {
    return this.registry.commands;
  }

  async *handle(input: Inbound): AsyncGenerator<ReplyPart> {
    let run: (session: Session) => AsyncIterable<ReplyPart>;
    try {
      run = this.route(input);
    } catch (err) {
      yield this.errorPart(err, input.conversation);
      return;
    }
    yield* this.inConversation(input.conversation, input.speaker, run, input.signal, input.attachments, true);
  }

  /**
   * Runs `run` in a conversation under its lock with its memory loaded, as a turn does, and
   * streams its parts; ends with exactly one 'done' or 'error'. With `touch` (a turn), the
   * conversation's overdue jobs run first and are announced through the outbox.
   */
  async *inConversation(
    ref: ConversationRef,
    speaker: Speaker,
    run: (session: Session) => AsyncIterable<ReplyPart>,
    signal?: AbortSignal,
    attachments?: Attachment[],
    touch = false,
  ): AsyncGenerator<ReplyPart> {
    const key = conversationKey(ref);
    const release = await this.lock.acquire(key);
    try {
      if (touch) await this.scheduler.runDue(key).catch((err: unknown) => this.log.error({ err, conversation: key }, 'overdue jobs could not run before the turn'));
      yield* this.ended(ref, this.running(key, ref, speaker, run, signal, attachments));
    } finally {
      release();
    }
  }

  /**
   * Lets an adapter receive what Muse says without being asked (a vote closing, a round's
   * narration): `sink` gets the conversation and the reply parts to render there.
   */
  attach(platform: string, sink: Outbox): () => void {
    return this.outboxes.attach(platform, sink);
  }

  /** Runs `run` in a conversation (as Muse) and sends its parts to the platform's outbox. */
  async announce(ref: ConversationRef, run: (session: Session) => AsyncIterable<ReplyPart>): Promise<void> {
    await this.outboxes.deliver(ref, this.inConversation(ref, MUSE, run));
  }

  /**
   * Loads the stored jobs of the platforms this process serves (after their outboxes are
   * attached): runs the overdue ones at once, announced through the outbox, and arms the rest.
   */
  start(platforms: readonly string[], opts: StartOptions = {}): Promise<void> {
    return this.scheduler.start(platforms, opts);
  }

  /**
   * Runs the job handler `name` in the conversation at `dueAt` (by the engine's clock), as an
   * announcement. The job is stored, so it survives a restart; the same name replaces it.
   */
  schedule(ref: ConversationRef, name: string, dueAt: number, data: JobData = {}): Promise<void> {
    return this.scheduler.schedule(ref, name, dueAt, data);
  }

  cancel(ref: ConversationRef, name: string): Promise<void> {
    return this.scheduler.cancel(ref, name);
  }

  /** Cancels every job of a conversation (memory cleared). */
  cancelAll(ref: ConversationRef): Promise<void> {
    return this.scheduler.cancelAll(ref);
  }

  /** Suggestions while typing an option (persona names). */
  autocomplete(kind: 'persona', typed: string): Array<{ value: string; label: string }> {
    const prefix = typed.trim().toLowerCase();
    return this.personas
      .list()
      .filter((p) => p.name.startsWith(prefix) || p.description.toLowerCase().includes(prefix))
      .map((p) => ({ value: p.name, label: `${p.name}: ${p.description}`.slice(0, 100) }));
  }

  /** Resolves when background work (summaries, jobs that are running) is finished. */
  async idle(): Promise<void> {
    await this.scheduler.idle();
    await this.summarizer.idle();
  }

  /** Disarms every timer (shutdown); stored jobs wait for the next start. */
  close(): void {
    this.scheduler.close();
  }

  /** The conversation's memory loaded into a session, and `run`'s parts (no lock taken here). */
  private async *running(key: string, ref: ConversationRef, speaker: Speaker, run: (session: Session) => AsyncIterable<ReplyPart>, signal?: AbortSignal, attachments?: Attachment[]): AsyncGenerator<ReplyPart> {
    const meta = (await this.options.store.getMeta(key)) ?? emptyMeta(this.options.defaultPersona ?? 'storyteller');
    yield* run(new Session(key, ref, speaker, meta, this.sessionDeps, signal, attachments));
  }

  /**
   * Exactly one end part: the end is held back until the command has finished all its work
   * (adapters stop reading at the end part, and work after it would otherwise never run); parts
   * after it are dropped; a thrown error becomes an 'error' part; no end becomes an empty 'done'.
   */
  private async *ended(ref: ConversationRef, parts: AsyncIterable<ReplyPart>): AsyncGenerator<ReplyPart> {
    let end: ReplyPart | undefined;
    try {
      for await (const part of parts) {
        if (end) {
          this.log.warn({ conversation: conversationKey(ref), part: part.type }, 'a command sent a part after its end; it was dropped');
          continue;
        }
        if (part.type === 'done' || part.type === 'error') end = part;
        else yield part;
      }
    } catch (err) {
      yield this.errorPart(err, ref);
      return;
    }
    yield end ?? { type: 'done', text: '' };
  }

  /** A job's handler in its conversation (whose lock the scheduler holds), announced; true when it ended well. */
  private async runJob(job: Job): Promise<boolean> {
    const handler = this.registry.jobs[job.name];
    if (!handler) return false;
    const ref = job.conversation;
    const end = await this.outboxes.deliver(ref, this.ended(ref, this.running(conversationKey(ref), ref, MUSE, (session) => handler(session, job))));
    return end?.type === 'done';
  }

  /** Decides what runs, before taking the lock; throws UserFacingError for bad input. */
  private route(input: Inbound): (session: Session) => AsyncIterable<ReplyPart> {
    let resolved: ResolvedCommand;
    let raw: Record<string, string | undefined>;
    if (input.command) {
      const spec = findCommand(this.commands, input.command.name);
      const found = spec && resolveCommand(spec, input.command.subcommand);
      if (!found) throw new UserFacingError('bad_input', `There is no command /${[input.command.name, input.command.subcommand].filter(Boolean).join(' ')}. Type /help to see the commands.`);
      resolved = found;
      raw = input.command.options ?? {};
    } else {
      const text = (input.text ?? '').trim();
      if (!text) throw new UserFacingError('bad_input', 'The message is empty; write something for Muse to answer.');
      if (text.length > this.limits.maxInputChars) {
        throw new UserFacingError('bad_input', `That message is ${text.length.toLocaleString('en-US')} characters long; Muse takes at most ${this.limits.maxInputChars.toLocaleString('en-US')} at a time, so nothing was sent. Please split it into shorter messages.`);
      }
      if (!text.startsWith('/')) return (session) => this.plainTurn(session, text);
      const parsed = parseCommandLine(text, this.commands);
      resolved = parsed.resolved;
      raw = parsed.options;
    }
    const options = validateOptions(resolved, raw);
    if (resolved.managerOnly && input.canManage === false && !input.conversation.dm) {
      throw new UserFacingError('forbidden', `Only people who can manage this channel may use /${resolved.path} here.`);
    }
    const run: CommandHandler = resolved.run;
    const registry = this.registry;
    return (session) => run({ options, session, registry });
  }

  /** A message that is not a command: a turn hook may claim it (a vote, a quiz answer). */
  private plainTurn(session: Session, text: string): AsyncIterable<ReplyPart> {
    for (const hook of this.registry.turnHooks) {
      const claimed = hook(session, text);
      if (claimed) return claimed;
    }
    return session.reply({ turn: session.userTurn(text, 'message') });
  }

  private errorPart(err: unknown, ref: ConversationRef): ReplyPart {
    const partial = !!(err as { partial?: boolean } | null)?.partial;
    if (err instanceof UserFacingError) return { type: 'error', code: err.code, message: err.message, ephemeral: true };
    if (err instanceof ModelFailure) {
      this.log.warn({ err: err.error, kind: err.error.kind, conversation: conversationKey(ref) }, 'model failed');
      const message = err.partial ? `${err.error.message} The reply was cut off and was not saved.` : err.error.message;
      return { type: 'error', code: 'model', message, partial: err.partial };
    }
    if (err instanceof ModelError) {
      this.log.warn({ err, kind: err.kind }, 'model unavailable');
      return { type: 'error', code: 'model', message: err.message };
    }
    if (err instanceof StoreUnavailableError) {
      this.log.error({ err, conversation: conversationKey(ref) }, 'store unavailable');
      const message = partial ? `${err.message} (The reply above was not saved.)` : err.message;
      return { type: 'error', code: 'store', message, partial };
    }
    this.log.error({ err, conversation: conversationKey(ref) }, 'unexpected error while handling a turn');
    return { type: 'error', code: 'internal', message: 'Something went wrong inside Muse, so nothing was saved; the details are in the log.', partial };
  }
}

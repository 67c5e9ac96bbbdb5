import { openCoordination, type Coordination } from '../memory/coordination.js';
import type { ConversationStore } from '../memory/types.js';
import type { ModelBackend } from '../model/types.js';
import type { PersonaRegistry } from '../personas/registry.js';
import { systemClock, type Clock } from './clock.js';
import type { ConversationRef } from './conversation.js';
import { Conversations, MUSE } from './conversations.js';
import { errorPart } from './endings.js';
import type { Feature, Starter } from './feature.js';
import { ConversationLocks } from './hold.js';
import type { JobData } from './jobs.js';
import { DEFAULT_LIMITS, leaseLimits, type EngineLimits } from './limits.js';
import { Observers, type EngineObserver } from './observer.js';
import { Outboxes, type Outbox } from './outboxes.js';
import { UserFacingError, type ReplyPart } from './parts.js';
import { makePlan, refusal, type Inbound, type Plan, type PlanInput, type PlanOptions, type RunContext } from './plan.js';
import { systemPrompt } from './prompt.js';
import { Registry } from './registry.js';
import { JobScheduler, type StartOptions } from './scheduler.js';
import { personaNamed, type Session } from './session.js';
import { SharedState } from './shared.js';
import { resolveCommand, type CommandSpec } from './spec.js';
import { Summarizer } from './summarizer.js';
import { findCommand } from './text-command.js';
import { WindowCache } from './window-cache.js';

export type { EngineObserver, Inbound, Outbox };
export { MUSE };

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
  /**
   * Leases, jobs with claims, dedupe and record compare-and-set (default: the store's own, from
   * openStore): shared by every process on Redis and Postgres, in process on memory and SQLite.
   */
  coordination?: Coordination;
  /** Counts for metrics (more can be added with observe()). */
  observer?: EngineObserver;
}

/**
 * The dialogue engine. `plan` resolves what was asked once (a command and its options, or a
 * plain turn, or a refusal); `run` takes the conversation under its lock (turns run one at a
 * time, in arrival order), loads its memory and streams reply parts. Every stream ends with
 * exactly one 'done' or 'error' part. It never knows a platform, and names no feature: it
 * derives commands, turn hooks, prompts, context slots and jobs from the features it is given.
 */
export class Engine {
  readonly personas: PersonaRegistry;
  /** Dedupe of platform re-deliveries and shared marks, across every process on the store. */
  readonly shared: SharedState;
  private readonly registry: Registry;
  private readonly outboxes: Outboxes;
  private readonly scheduler: JobScheduler;
  private readonly conversations: Conversations;
  private readonly summarizer: Summarizer;
  private readonly observers: Observers;
  private readonly limits: EngineLimits;
  private readonly log: EngineLogger;

  constructor(options: EngineOptions) {
    this.registry = new Registry(options.features);
    this.personas = options.personas;
    const limits = (this.limits = { ...DEFAULT_LIMITS, ...options.limits });
    const log = (this.log = options.logger ?? { error() {}, warn() {}, debug() {} });
    const clock = options.clock ?? systemClock;
    const coordination = options.coordination ?? openCoordination(options.store);
    this.observers = new Observers((err) => log.warn({ err }, 'an engine observer failed'));
    if (options.observer) this.observers.add(options.observer);
    this.outboxes = new Outboxes(log);
    this.shared = new SharedState(coordination.dedupe, options.store, this.observers);
    const locks = new ConversationLocks(coordination.leases, leaseLimits(limits), this.observers, log);
    const cache = new WindowCache(limits.maxContextTurns + 2);
    const jobs = this.registry.jobs;
    const defaultPersona = options.defaultPersona ?? 'storyteller';
    this.conversations = new Conversations({
      store: options.store,
      locks,
      scheduler: () => this.scheduler,
      sessionDeps: () => sessionDeps,
      defaultPersona,
      jobs,
      outboxes: this.outboxes,
      observers: this.observers,
      log,
    });
    this.scheduler = new JobScheduler({
      jobs: coordination.jobs,
      clock,
      locks,
      handles: (name) => Object.hasOwn(jobs, name),
      run: (job, held) => this.conversations.runJob(job, held),
      observers: this.observers,
      log,
      // A job runs at most as long as its model call; a claim outlives it before another may take it.
      visibilityMs: limits.modelTimeoutMs + leaseLimits(limits).ttlMs,
    });
    this.summarizer = new Summarizer({
      store: options.store,
      backend: options.backend,
      locks,
      cache,
      observers: this.observers,
      timeoutMs: limits.modelTimeoutMs,
      onError: (err, key) => log.warn({ err, conversation: key }, 'summary failed; will retry on a later turn'),
    });
    const prompts = this.registry.prompts;
    const sessionDeps = {
      store: options.store,
      backend: options.backend,
      personas: options.personas,
      defaultPersona,
      limits,
      onDropped: (k: string, m: Session['meta'], start: number) => this.summarizer.schedule(k, m, start),
      cache,
      clock,
      random: options.random ?? Math.random,
      engine: this,
      records: coordination.records,
      observers: this.observers,
      systemPrompt: (input: Parameters<typeof systemPrompt>[0], instruction?: string) => systemPrompt(input, prompts, instruction),
      slots: this.registry.slots(),
      forget: (session: Session) => this.registry.forget(session),
    };
  }

  /** Adds an observer of the engine's counts (lease waits, conflicts, turns...); returns its removal. */
  observe(observer: EngineObserver): () => void {
    return this.observers.add(observer);
  }

  /** Every command, in registry order (adapters register them with their platform). */
  get commands(): readonly CommandSpec[] {
    return this.registry.commands;
  }

  /** Suggested first messages, from the features (a platform may offer them). */
  get starters(): readonly Starter[] {
    return this.registry.starters;
  }

  /** Resolves what was asked, once, without taking the conversation: a command, a turn or a refusal. */
  plan(input: PlanInput, opts: PlanOptions = {}): Plan {
    return makePlan(input, this.registry.commands, this.limits, opts);
  }

  /**
   * Checks what a command needs before anything is done for it (a thread opened, a file
   * downloaded): the speaker's permission, and that the personas it names exist. Returns the
   * plan, checked, or a refusal. The one place that decides who may manage a conversation:
   * anyone in a DM; elsewhere whoever the adapter's canManage says (no check given: anyone).
   */
  async check(plan: Plan, who: Pick<RunContext, 'conversation' | 'canManage'>): Promise<Plan> {
    if (plan.kind !== 'command' || plan.checked) return plan;
    try {
      if (plan.requires.includes('manager') && !who.conversation.dm && who.canManage && !(await who.canManage())) {
        throw new UserFacingError('forbidden', `Only people who can manage this channel may use /${plan.path} here.`);
      }
      for (const option of plan.resolved.options) {
        const value = plan.options[option.name];
        if (option.autocomplete === 'persona' && typeof value === 'string') personaNamed(this.personas, value);
      }
    } catch (err) {
      if (err instanceof UserFacingError) return refusal(err);
      throw err;
    }
    return { ...plan, checked: true };
  }

  /** Runs a plan for a speaker in a conversation (checking it first unless it was checked). */
  async *run(plan: Plan, ctx: RunContext): AsyncGenerator<ReplyPart> {
    let ready: Plan;
    try {
      ready = await this.check(plan, ctx);
    } catch (err) {
      yield errorPart(err, ctx.conversation, this.log);
      return;
    }
    if (ready.kind === 'refusal') {
      yield ready.part;
      return;
    }
    const registry = this.registry;
    const work =
      ready.kind === 'turn'
        ? (session: Session) => this.plainTurn(session, ready.text)
        : (session: Session) => ready.resolved.run({ options: ready.options, session, registry });
    yield* this.conversations.run({ ref: ctx.conversation, speaker: ctx.speaker, run: work, signal: ctx.signal, attachments: ctx.attachments, turn: true });
  }

  /** plan, then run. */
  handle(input: Inbound): AsyncGenerator<ReplyPart> {
    return this.run(this.plan(input), input);
  }

  /**
   * Lets an adapter receive what Muse says without being asked (a window closing): `sink` gets
   * the conversation and the reply parts to render there.
   */
  attach(platform: string, sink: Outbox): () => void {
    return this.outboxes.attach(platform, sink);
  }

  /** Runs `run` in a conversation (as Muse) and sends its parts to the platform's outbox. */
  async announce(ref: ConversationRef, run: (session: Session) => AsyncIterable<ReplyPart>): Promise<void> {
    await this.outboxes.deliver(ref, this.conversations.run({ ref, speaker: MUSE, run }));
  }

  /**
   * Serves the scheduled jobs of these platforms (after their outboxes are attached): runs the
   * overdue ones at once, announced through the outbox, then claims due jobs as they come, with
   * every other process serving them (`opts.serves` narrows which: a gateway's shards).
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

  /** Suggestions while typing an option that takes a persona's name. */
  suggest(at: { command: string; sub?: string; option: string }, typed: string): Array<{ value: string; label: string }> {
    const spec = findCommand(this.registry.commands, at.command);
    const option = spec && resolveCommand(spec, at.sub)?.options.find((o) => o.name === at.option);
    if (option?.autocomplete !== 'persona') return [];
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

  /** Stops polling for jobs and disarms every timer (shutdown); stored jobs wait for the next start. */
  close(): void {
    this.scheduler.close();
  }

  /** A message that is not a command: a turn hook may claim it (a vote, a quiz answer). */
  private plainTurn(session: Session, text: string): AsyncIterable<ReplyPart> {
    for (const hook of this.registry.turnHooks) {
      const claimed = hook(session, text);
      if (claimed) return claimed;
    }
    return session.reply({ turn: session.userTurn(text, 'message') });
  }
}

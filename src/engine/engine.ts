import { openCoordination } from '../memory/coordination.js';
import type { ConversationMeta } from '../memory/types.js';
import type { ImageInput } from '../model/types.js';
import { noopObserver } from '../ops/observer.js';
import { PersonaCatalog } from '../personas/catalog.js';
import { systemClock } from './clock.js';
import { checkPlan } from './check.js';
import { conversationKey, tenantOf, type ConversationRef, type Speaker } from './conversation.js';
import { Conversations, MUSE } from './conversations.js';
import { errorPart } from './endings.js';
import { ReplyFeedback } from './feedback.js';
import type { EngineLogger, EngineOptions } from './engine-options.js';
import type { Starter } from './feature.js';
import { TurnGate } from './gate.js';
import { openGuard } from './guard.js';
import { ConversationLocks } from './hold.js';
import { imagesOf, toldIfUnseen } from './images.js';
import { TurnsInFlight } from './in-flight.js';
import type { JobData } from '../memory/jobs.js';
import { DEFAULT_LIMITS, leaseLimits, type EngineLimits } from './limits.js';
import { managerCheck } from './manager.js';
import { fromOpsObserver, Observers, type EngineObserver } from './observer.js';
import { Outboxes, type Outbox } from './outboxes.js';
import { normalizeLocale, translator, type Locale } from '../i18n/index.js';
import type { ConversationStore } from '../memory/types.js';
import { localized, readLocale } from './locale.js';
import type { ReplyPart } from './parts.js';
import { suggestPersonas, type Suggestion } from './personas.js';
import { makePlan, type Asker, type Inbound, type Plan, type PlanInput, type PlanOptions, type RunContext } from './plan.js';
import { buildPrompt } from './prompt.js';
import { Registry } from './registry.js';
import { JobScheduler, type StartOptions } from './scheduler.js';
import type { Session, SessionDeps } from './session.js';
import { SharedState } from './shared.js';
import type { CommandSpec } from './spec.js';
import { Summarizer } from './summarizer.js';
import { optionAt } from './text-command.js';
import { WindowCache } from './window-cache.js';

export type { EngineObserver, Inbound, Outbox };
export type { EngineLogger, EngineOptions } from './engine-options.js';
export { MUSE };

/**
 * The dialogue engine. `plan` resolves what was asked once (a command and its options, or a
 * plain turn, or a refusal); `run` takes the conversation (this process's queue, then its lease
 * in the store: turns run one at a time, in arrival order, across every process), loads its
 * memory and streams reply parts. Every stream ends with exactly one 'done' or 'error' part. It
 * never knows a platform, and names no feature: it derives commands, turn hooks, prompts,
 * context slots and jobs from the features it is given.
 */
export class Engine {
  readonly personas: PersonaCatalog;
  /** The turns running now: counted, and stopped all at once by a shutdown. */
  readonly turns: TurnsInFlight;
  /** Dedupe of platform re-deliveries and shared marks, across every process on the store. */
  readonly shared: SharedState;
  /** 👍/👎 on replies, one vote per person and reply. */
  readonly feedback: ReplyFeedback;
  /** Backpressure: turns at once, and the bounded queues (MUSE_MAX_TURNS, MUSE_QUEUE_PER_*). */
  readonly gate: TurnGate;
  private readonly registry: Registry;
  private readonly outboxes: Outboxes;
  private readonly scheduler: JobScheduler;
  private readonly conversations: Conversations;
  private readonly summarizer: Summarizer;
  private readonly observers: Observers;
  private readonly limits: EngineLimits;
  private readonly log: EngineLogger;
  private readonly store: ConversationStore;

  constructor(options: EngineOptions) {
    this.registry = new Registry(options.features);
    this.store = options.store;
    this.personas = new PersonaCatalog(options.personas, options.store, options.personaImport);
    const observer = options.observer ?? noopObserver;
    this.turns = new TurnsInFlight(observer);
    const limits = (this.limits = { ...DEFAULT_LIMITS, ...options.limits });
    const log = (this.log = options.logger ?? { error() {}, warn() {}, debug() {} });
    const clock = options.clock ?? systemClock;
    this.gate = new TurnGate(limits);
    const coordination = options.coordination ?? openCoordination(options.store);
    this.observers = new Observers((err) => log.warn({ err }, 'an engine observer failed'));
    this.observers.add(fromOpsObserver(observer));
    this.outboxes = new Outboxes(log);
    this.shared = new SharedState(coordination.dedupe, options.store, this.observers);
    this.feedback = new ReplyFeedback(options.store, coordination.records);
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
    const { backendFor } = options;
    const backend = backendFor ? (meta: ConversationMeta) => backendFor(meta) : () => options.backend();
    this.summarizer = new Summarizer({
      store: options.store,
      backend,
      locks,
      cache,
      observers: this.observers,
      timeoutMs: limits.modelTimeoutMs,
      onError: (err, key) => log.warn({ err, conversation: key }, 'summary failed; will retry on a later turn'),
    });
    const prompts = this.registry.prompts;
    const sessionDeps: SessionDeps = {
      store: options.store,
      backend,
      models: options.models,
      keptSettings: this.registry.keptSettings,
      personas: this.personas,
      defaultPersona,
      limits,
      onDropped: (k, m, start, spent) => this.summarizer.schedule(k, m, start, spent),
      guard: options.guard ?? openGuard,
      rating: (ref, meta) => this.registry.rating(ref, meta),
      cache,
      clock,
      random: options.random ?? Math.random,
      engine: this,
      records: coordination.records,
      observers: this.observers,
      systemPrompt: (input, instruction) => buildPrompt(input, prompts, instruction),
      slots: this.registry.slots(),
      forget: (session) => this.registry.forget(session).then(() => this.feedback.forget(session.key)),
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

  /** Checks a command's permission and personas before anything is done for it (see checkPlan); a plan or a refusal. */
  check(plan: Plan, who: Pick<RunContext, 'conversation' | 'speaker' | 'canManage'>, manager = managerCheck(who.conversation, who.canManage)): Promise<Plan> {
    return checkPlan(plan, who, manager, this.personas);
  }

  /**
   * Runs a plan for a speaker in a conversation (checking it first unless it was checked), as a
   * turn in flight, through the gate (backpressure: "busy" at once when the queues are full).
   */
  run(plan: Plan, ctx: RunContext): AsyncGenerator<ReplyPart> {
    return localized(
      this.localeOf(ctx),
      (known) =>
        this.turns.track(ctx, (tracked) => this.gate.through(conversationKey(ctx.conversation), () => this.runPlan(plan, tracked, known), translator(known))),
      ctx.onLocale,
    );
  }

  /** The speaker's language for a turn: their /language override, else the platform's (see readLocale). */
  localeOf(who: Pick<RunContext, 'conversation' | 'speaker' | 'locale'>): Promise<Locale> {
    return readLocale(this.store, who, this.log);
  }

  private async *runPlan(plan: Plan, ctx: RunContext, locale: Locale): AsyncGenerator<ReplyPart> {
    const manager = managerCheck(ctx.conversation, ctx.canManage);
    let ready: Plan;
    let images: ImageInput[];
    try {
      ready = await this.check(plan, ctx, manager);
      images = imagesOf(ready, ctx.attachments);
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
    yield* this.conversations.run({
      ref: ctx.conversation,
      speaker: ctx.speaker,
      run: images.length ? (session) => toldIfUnseen(session, work(session)) : work,
      signal: ctx.signal,
      attachments: ctx.attachments,
      images,
      manager,
      turn: true,
      locale,
      platformLocale: normalizeLocale(ctx.locale),
    });
  }

  /** plan, then run. */
  handle(input: Inbound): AsyncGenerator<ReplyPart> {
    return this.run(this.plan(input, { withImages: !!input.attachments?.length }), input);
  }

  /**
   * Lets an adapter receive what Muse says without being asked (a window closing): `sink` gets
   * the conversation and the reply parts to render there.
   */
  attach(platform: string, sink: Outbox): () => void {
    return this.outboxes.attach(platform, sink);
  }

  /** Runs `run` in a conversation as `speaker` (taken, its memory loaded) and streams its parts, ending with one 'done' or 'error'. */
  inConversation(ref: ConversationRef, speaker: Speaker, run: (session: Session) => AsyncIterable<ReplyPart>): AsyncGenerator<ReplyPart> {
    return this.conversations.run({ ref, speaker, run });
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

  /** Suggestions while typing an option that takes a persona's name: the ones the speaker's tenant can choose. */
  async suggest(at: { command: string; sub?: string; option: string }, typed: string, where: Asker): Promise<Suggestion[]> {
    const option = optionAt(this.registry.commands, at);
    return option?.autocomplete === 'persona' ? suggestPersonas(this.personas, tenantOf(where.conversation, where.speaker.id), typed) : [];
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

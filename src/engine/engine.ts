import { emptyMeta } from '../memory/types.js';
import { noopObserver } from '../ops/observer.js';
import { PersonaCatalog } from '../personas/catalog.js';
import { KeyedLock } from '../util/lock.js';
import { systemClock, type Clock } from './clock.js';
import { conversationKey, tenantOf, type ConversationRef, type Speaker } from './conversation.js';
import { endedOnce, errorPart } from './endings.js';
import type { EngineLogger, EngineOptions } from './engine-options.js';
import type { Starter } from './feature.js';
import { TurnsInFlight } from './in-flight.js';
import type { Job, JobData } from '../memory/jobs.js';
import { DEFAULT_LIMITS, type EngineLimits } from './limits.js';
import { Outboxes, type Outbox } from './outboxes.js';
import { UserFacingError, type ReplyPart } from './parts.js';
import { forbidden, managerCheck } from './manager.js';
import { makePlan, refusal, type Asker, type Inbound, type Plan, type PlanInput, type PlanOptions, type RunContext } from './plan.js';
import { buildPrompt } from './prompt.js';
import { RecordJobStore } from '../memory/record-job-store.js';
import { Registry } from './registry.js';
import { JobScheduler, type StartOptions } from './scheduler.js';
import { checkPersonas, suggestPersonas, type Suggestion } from './personas.js';
import { Session, type SessionDeps, type SessionExtras } from './session.js';
import { resolveCommand, type CommandSpec } from './spec.js';
import { Summarizer } from './summarizer.js';
import { findCommand } from './text-command.js';
import { WindowCache } from './window-cache.js';

export type { Inbound, Outbox };

export type { EngineLogger, EngineOptions } from './engine-options.js';

/** The speaker of announcements. */
export const MUSE: Speaker = { id: 'muse', name: 'Muse' };

/**
 * The dialogue engine. `plan` resolves what was asked once (a command and its options, or a
 * plain turn, or a refusal); `run` takes the conversation under its lock (turns run one at a
 * time, in arrival order), loads its memory and streams reply parts. Every stream ends with
 * exactly one 'done' or 'error' part. It never knows a platform, and names no feature: it
 * derives commands, turn hooks, prompts, context slots and jobs from the features it is given.
 */
export class Engine {
  readonly personas: PersonaCatalog;
  /** The turns running now: counted, and stopped all at once by a shutdown. */
  readonly turns: TurnsInFlight;
  private readonly registry: Registry;
  private readonly lock = new KeyedLock();
  private readonly outboxes: Outboxes;
  private readonly scheduler: JobScheduler;
  private readonly clock: Clock;
  private readonly sessionDeps: SessionDeps;
  private readonly summarizer: Summarizer;
  private readonly limits: EngineLimits;
  private readonly log: EngineLogger;

  constructor(private readonly options: EngineOptions) {
    this.registry = new Registry(options.features);
    this.personas = new PersonaCatalog(options.personas, options.store, options.personaImport);
    this.turns = new TurnsInFlight(options.observer ?? noopObserver);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.log = options.logger ?? { error() {}, warn() {}, debug() {} };
    this.clock = options.clock ?? systemClock;
    this.outboxes = new Outboxes(this.log);
    const jobs = this.registry.jobs;
    this.scheduler = new JobScheduler({
      store: options.jobStore ?? new RecordJobStore(options.store),
      clock: this.clock,
      lock: this.lock,
      handles: (name) => Object.hasOwn(jobs, name),
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
      personas: this.personas,
      defaultPersona: options.defaultPersona ?? 'storyteller',
      limits: this.limits,
      onDropped: (k, m, start) => this.summarizer.schedule(k, m, start),
      cache: new WindowCache(this.limits.maxContextTurns + 2),
      clock: this.clock,
      random: options.random ?? Math.random,
      engine: this,
      lock: this.lock,
      systemPrompt: (input, instruction) => buildPrompt(input, prompts, instruction),
      slots: this.registry.slots(),
      forget: (session) => this.registry.forget(session),
    };
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
   * downloaded): the speaker's permission, and what it needs of the personas (checkPersonas).
   * Returns the plan, checked, or a refusal. Who may manage: see managerCheck (fails closed).
   */
  async check(
    plan: Plan,
    who: Pick<RunContext, 'conversation' | 'speaker' | 'canManage'>,
    manager = managerCheck(who.conversation, who.canManage),
  ): Promise<Plan> {
    if (plan.kind !== 'command' || plan.checked) return plan;
    try {
      if (plan.requires.includes('manager') && !(await manager())) throw forbidden(`use /${plan.path}`);
      await checkPersonas(plan, this.personas, tenantOf(who.conversation, who.speaker.id));
    } catch (err) {
      if (err instanceof UserFacingError) return refusal(err);
      throw err;
    }
    return { ...plan, checked: true };
  }

  /** Runs a plan for a speaker in a conversation (checking it first unless it was checked), as a turn in flight. */
  run(plan: Plan, ctx: RunContext): AsyncGenerator<ReplyPart> {
    return this.turns.track(ctx, (tracked) => this.runPlan(plan, tracked));
  }

  private async *runPlan(plan: Plan, ctx: RunContext): AsyncGenerator<ReplyPart> {
    const manager = managerCheck(ctx.conversation, ctx.canManage);
    let ready: Plan;
    try {
      ready = await this.check(plan, ctx, manager);
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
    const extras = { manager, ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.attachments ? { attachments: ctx.attachments } : {}) };
    yield* this.inConversation(ctx.conversation, ctx.speaker, work, extras, true);
  }

  /** plan, then run. */
  handle(input: Inbound): AsyncGenerator<ReplyPart> {
    return this.run(this.plan(input), input);
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
    extras: SessionExtras = {},
    touch = false,
  ): AsyncGenerator<ReplyPart> {
    const key = conversationKey(ref);
    const release = await this.lock.acquire(key);
    try {
      if (touch)
        await this.scheduler.runDue(key).catch((err: unknown) => this.log.error({ err, conversation: key }, 'overdue jobs could not run before the turn'));
      yield* endedOnce(ref, this.running(key, ref, speaker, run, extras), this.log);
    } finally {
      release();
    }
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

  /** Suggestions while typing an option that takes a persona's name: the ones the speaker's tenant can choose. */
  async suggest(at: { command: string; sub?: string; option: string }, typed: string, where: Asker): Promise<Suggestion[]> {
    const spec = findCommand(this.registry.commands, at.command);
    const option = spec && resolveCommand(spec, at.sub)?.options.find((o) => o.name === at.option);
    if (option?.autocomplete !== 'persona') return [];
    return suggestPersonas(this.personas, tenantOf(where.conversation, where.speaker.id), typed);
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
  private async *running(
    key: string,
    ref: ConversationRef,
    speaker: Speaker,
    run: (session: Session) => AsyncIterable<ReplyPart>,
    extras: SessionExtras = {},
  ): AsyncGenerator<ReplyPart> {
    const meta = (await this.options.store.getMeta(key)) ?? emptyMeta(this.options.defaultPersona ?? 'storyteller');
    const session = new Session(key, ref, speaker, meta, this.sessionDeps, extras);
    const removed = await session.loadPersona();
    if (removed) yield { type: 'notice', text: removed };
    yield* run(session);
  }

  /** A job's handler in its conversation (whose lock the scheduler holds), announced; true when it ended well. */
  private async runJob(job: Job): Promise<boolean> {
    const handler = this.registry.jobs[job.name];
    if (!handler) return false;
    const ref = job.conversation;
    const parts = endedOnce(
      ref,
      this.running(conversationKey(ref), ref, MUSE, (session) => handler(session, job)),
      this.log,
    );
    const end = await this.outboxes.deliver(ref, parts);
    return end?.type === 'done';
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

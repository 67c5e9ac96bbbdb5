import { randomUUID } from 'node:crypto';
import { translator, type Locale, type Localized, type Translate } from '../i18n/index.js';
import type { Records } from '../memory/coordination.js';
import type { ConversationMeta, Turn } from '../memory/types.js';
import type { ChatMessage, ImageInput } from '../model/types.js';
import type { PersonaCatalog } from '../personas/catalog.js';
import type { Persona } from '../personas/schema.js';
import type { Clock } from './clock.js';
import type { ModelMenu } from './model-menu.js';
import { tenantOf, type ConversationRef, type Speaker } from './conversation.js';
import type { JobData } from '../memory/jobs.js';
import type { Observers } from './observer.js';
import { UserFacingError, type ReplyPart } from './parts.js';
import { forbidden, managerCheck } from './manager.js';
import { withPersona } from './personas.js';
import { SessionPersonas } from './session-personas.js';
import { deliverReply, draftReply, streamReply, type ReplyDeps, type ReplyHost, type ReplyRequest } from './reply.js';
import type { Attachment, Scheduling, SessionInit } from './session-init.js';
import { forgetConversation } from './forget.js';
import type { Rating } from './guard.js';
import { SessionGuard } from './session-guard.js';
import { FencedWriter } from './writer.js';

export type { Attachment, Scheduling, SessionInit };

/** What a session needs from the engine (kept small so commands can be tested alone). */
export interface SessionDeps extends ReplyDeps {
  personas: PersonaCatalog;
  defaultPersona: string;
  clock: Clock;
  /** A number in [0, 1): injectable, like the clock, so chance is testable. */
  random: () => number;
  /** For scheduling work in this conversation later. */
  engine: Scheduling;
  /** The store's records with compare-and-set: read-modify-writes never lose another's update. */
  records: Records;
  observers: Observers;
  /** The conversation's content rating, as the features decide it (default all-ages). */
  rating(ref: ConversationRef, meta: ConversationMeta): Rating;
  /** What the features delete when a conversation is forgotten (besides its turns). */
  forget(session: Session): Promise<void>;
  /** The models a conversation may choose from (undefined: none to choose). */
  models?: ModelMenu | undefined;
  /** The settings a fresh start keeps (Feature.keepsSettings). */
  keptSettings: readonly string[];
}

/**
 * One conversation while the engine holds it (its lock and its lease): its meta, who is speaking,
 * and the operations commands use. Nothing here writes to the store except on success, and every
 * write of the meta is fenced by the lease and compare-and-set on the rev it builds on.
 */
export class Session implements ReplyHost {
  readonly key: string;
  readonly ref: ConversationRef;
  readonly speaker: Speaker;
  public meta: ConversationMeta;
  /** Stops the work: the caller's signal, or the conversation's lease lost. */
  readonly signal: AbortSignal;
  /** Files that came with the command (an imported file). */
  readonly attachments: readonly Attachment[];
  /** Pictures that came with this turn: its replies show them to a model that sees images. */
  readonly images: readonly ImageInput[];
  /** Whether a reply in this turn showed its pictures to a model, or said it could not (see toldIfUnseen). */
  imagesSeen = false;
  /** The language of Muse's own sentences in this turn: the speaker's /language, else the platform's. */
  readonly locale: Locale;
  /** Muse's sentence `key` in the turn's language (src/i18n); model output is never translated. */
  readonly t: Translate;
  /** The platform's language for the speaker, whatever their /language says. */
  readonly platformLocale: Locale;
  private readonly writes: FencedWriter;
  private readonly manager: () => Promise<boolean>;
  private readonly seen: SessionPersonas;
  /** Fair use in this run: the checks before its first model call, who acts (for limits and /usage). */
  readonly fair: SessionGuard;

  constructor(
    init: SessionInit,
    readonly deps: SessionDeps,
  ) {
    this.key = init.key;
    this.ref = init.ref;
    this.speaker = init.speaker;
    this.meta = init.meta;
    this.signal = init.held.signal;
    this.attachments = init.attachments ?? [];
    this.images = init.images ?? [];
    this.locale = init.locale ?? 'en';
    this.platformLocale = init.platformLocale ?? this.locale;
    this.t = translator(this.locale);
    this.manager = init.manager ?? managerCheck(init.ref, undefined);
    this.seen = new SessionPersonas(deps.personas, deps.defaultPersona);
    const { key, ref, speaker } = init;
    const rating = () => deps.rating(ref, this.meta);
    this.fair = new SessionGuard({ key, ref, speaker, guard: deps.guard, rating, signal: this.signal, emit: init.emit ?? (() => {}) });
    this.writes = new FencedWriter({
      store: deps.store,
      key: init.key,
      lease: init.held.lease,
      rev: init.meta.rev,
      cache: deps.cache,
      observers: deps.observers,
      onLost: () => init.held.noteLost(),
    });
  }

  /**
   * Whether the speaker may manage this conversation (change its persona, wipe its state,
   * remove other people's lore): yes in a DM, else as the platform says; asked at most once.
   */
  isManager(): Promise<boolean> {
    return this.manager();
  }

  /** Throws the one sentence for someone who may not `what` ("remove other people's lore") here. */
  async requireManager(what: string | Localized, instead?: string | Localized): Promise<void> {
    if (!(await this.manager())) throw forbidden(what, instead);
  }

  get personas(): PersonaCatalog {
    return this.deps.personas;
  }

  /** The server or workspace whose rules apply here; in a DM, the speaker (see tenantOf). */
  get tenant(): string {
    return tenantOf(this.ref, this.speaker.id);
  }

  /** The conversation's persona: an imported one as loaded or looked up, else the built-in of its name, or the default one. */
  persona(): Persona {
    return this.seen.of(this.meta);
  }

  /** The persona of a new conversation (MUSE_DEFAULT_PERSONA), or the first built-in one. */
  defaultPersona(): Persona {
    return this.seen.fallback();
  }

  /**
   * Loads the conversation's imported persona before anything runs in it. When its tenant removed
   * it, the conversation goes back to the default persona, and this says so (once: it is saved).
   */
  async loadPersona(): Promise<string | undefined> {
    if (await this.seen.load(this.meta)) return undefined;
    const fallback = this.defaultPersona();
    const name = this.meta.persona;
    await this.commitMeta(withPersona(this.meta, fallback));
    return this.t('engine.personaRemoved', { name, fallback: fallback.name });
  }

  /** The engine's clock (a fake one in tests). */
  now(): number {
    return this.deps.clock.now();
  }

  /** The engine's random source: a number in [0, 1) (a fixed one in tests). */
  random(): number {
    return this.deps.random();
  }

  /**
   * Runs the job handler `name` in this conversation after `delayMs` (by the engine's clock), as
   * Muse, and shows what it says through the platform's outbox. The job is stored, so it
   * survives a restart; the same name replaces an earlier one. Throws when the store fails (so
   * nothing is left open without a stored deadline).
   */
  schedule(name: string, delayMs: number, data: JobData = {}): Promise<void> {
    return this.scheduleAt(name, this.now() + delayMs, data);
  }

  /** As schedule(), at `dueAt` (epoch ms by the engine's clock), e.g. a deadline kept in the state. */
  scheduleAt(name: string, dueAt: number, data: JobData = {}): Promise<void> {
    return this.deps.engine.schedule(this.ref, name, dueAt, data);
  }

  /** Cancels this conversation's job `name` (a store failure is only logged). */
  cancel(name: string): Promise<void> {
    return this.deps.engine.cancel(this.ref, name);
  }

  /** Looks a persona up by name as this tenant sees it, with a clear sentence when it is unknown or broken. */
  requirePersona(name: string): Promise<Persona> {
    return this.seen.named(this.tenant, name);
  }

  /** Meta with `persona` in use from now on (commit it, or pass it with a reply). */
  withPersona(meta: ConversationMeta, persona: Persona): ConversationMeta {
    return withPersona(meta, persona);
  }

  /** A turn from the current speaker (its text redacted of PII when MUSE_REDACT_PII=on). */
  userTurn(text: string, kind?: string): Turn {
    const turn: Turn = { role: 'user', userId: this.speaker.id, name: this.speaker.name, text: this.fair.redact(text), at: this.now() };
    if (kind) turn.kind = kind;
    return turn;
  }

  /** Meta for a fresh start (a new story or lesson) with `persona`: later turns only, empty summary. */
  freshMeta(persona: Persona, settings: Record<string, unknown>): ConversationMeta {
    const m = this.meta;
    const kept = Object.fromEntries(this.deps.keptSettings.flatMap((k) => (Object.hasOwn(m.settings, k) ? [[k, m.settings[k]]] : [])));
    return withPersona({ ...m, base: m.count, summary: '', summarizedUpTo: m.count, settings: { ...kept, ...settings } }, persona);
  }

  /** Writes the meta alone (fenced, with a new rev). */
  async commitMeta(meta: ConversationMeta): Promise<void> {
    const next = { ...meta, updatedAt: this.now(), rev: randomUUID() };
    await this.writes.putMeta(next);
    this.meta = next;
  }

  /** Appends turns with the meta they lead to (fenced; the meta carries a new rev). */
  async saveTurns(meta: ConversationMeta, turns: Turn[]): Promise<void> {
    await this.writes.append(meta, turns);
    this.meta = meta;
  }

  /** A stored record (per learner, per conversation, ...); keys are shared by all conversations. */
  record<T>(key: string): Promise<T | undefined> {
    return this.deps.store.getRecord<T>(key);
  }

  deleteRecord(key: string): Promise<void> {
    return this.deps.store.deleteRecord(key);
  }

  /**
   * Reads the record `key`, changes it and saves what `change` returns (undefined: deletes it),
   * by compare-and-set: when another process or conversation changed it in between, `change`
   * runs again on what is stored now, so no update is lost. `change` must have no side effects.
   */
  async updateRecord<T>(key: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined> {
    let runs = 0;
    return this.deps.records.update<T>(key, (current) => {
      if (++runs > 1) this.deps.observers.casConflict('record');
      return change(current);
    });
  }

  /**
   * Replaces the text of the last reply (e.g. the version shown when the conversation moves on
   * becomes the one kept). The asking turn stays as it was.
   */
  async rewriteLastReply(text: string, speakers?: string[]): Promise<void> {
    const m = this.meta;
    if (m.count - m.base < 2) throw UserFacingError.of('bad_input', 'engine.noReplyYet');
    const [asked, answered] = await this.readTurns(m.count - 2, m.count);
    if (!asked || answered?.role !== 'assistant') throw UserFacingError.of('bad_input', 'engine.notMuseReply');
    const now = this.now();
    const next: ConversationMeta = { ...m, updatedAt: now, rev: randomUUID() };
    const { speakers: _was, ...kept } = answered;
    await this.writes.append(next, [asked, { ...kept, text, at: now, ...(speakers?.length ? { speakers } : {}) }]);
    this.deps.cache.forget(this.key);
    this.meta = next;
  }

  /** Forgets the conversation and everything the features keep for it (see forgetConversation). */
  async clear(): Promise<void> {
    this.meta = await forgetConversation(this, this.deps, this.writes);
  }

  /** Turns of the current conversation, oldest first. */
  async readTurns(from: number, to: number): Promise<Turn[]> {
    const out: Turn[] = [];
    for (let i = from; i < to; i += 500) out.push(...(await this.deps.store.getTurns(this.key, i, Math.min(to, i + 500))));
    return out;
  }

  /**
   * Generates a reply and streams it; saves the asking turn and the reply (and the new meta)
   * only when the reply completed. Ends with 'done' or 'error'.
   */
  reply(request: ReplyRequest): AsyncGenerator<ReplyPart> {
    return streamReply(this, this.deps, request);
  }

  /**
   * Generates a reply without showing or saving it: a draft to check before it is shown (a
   * text whose form is checked, a grade to parse). `followUp` messages go after the usual
   * context, e.g. the previous draft and what to repair. Throws ModelFailure.
   */
  draft(request: ReplyRequest, followUp: ChatMessage[] = []): Promise<string> {
    return draftReply(this, this.deps, request, followUp);
  }

  /**
   * Shows a finished reply (e.g. the best draft) as one message and saves it with its asking
   * turn, exactly as reply() saves a streamed one. `notice` is a line shown under it, not saved.
   */
  deliver(request: ReplyRequest, text: string, notice?: string): AsyncGenerator<ReplyPart> {
    return deliverReply(this, this.deps, request, text, notice);
  }

  /** A complete, non-streamed reply (command output). */
  async *say(text: string, ephemeral = false): AsyncGenerator<ReplyPart> {
    yield { type: 'message', text, ...(ephemeral ? { ephemeral } : {}) };
    yield { type: 'done', text };
  }
}

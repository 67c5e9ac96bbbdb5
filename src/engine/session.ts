import { randomUUID } from 'node:crypto';
import type { ConversationMeta, ConversationStore, Turn } from '../memory/types.js';
import { generateText, ModelError, type ChatMessage, type ModelBackend, type ModelRequest } from '../model/types.js';
import type { Persona } from '../personas/schema.js';
import type { PersonaRegistry } from '../personas/registry.js';
import { assemble, readWindow, type ContextWindow } from './context.js';
import type { ConversationRef, Speaker } from './conversation.js';
import { UserFacingError, type ReplyAction, type ReplyPart } from './parts.js';
import type { CommandSpec } from './spec.js';
import { estimateTokens } from './tokens.js';
import { systemPrompt } from './prompt.js';
import type { WindowCache } from './window-cache.js';
import type { Clock } from './clock.js';
import type { JobData } from './jobs.js';

export interface EngineLimits {
  maxInputChars: number;
  /** Overrides the backend's context window. */
  contextTokens?: number;
  maxContextTurns: number;
  modelTimeoutMs: number;
  /** Tokens set aside for lore in each reply's context (used only when lore is injected). */
  loreTokens: number;
  /** Turns that must have fallen out of the window before they are folded into the summary. */
  summaryBatch: number;
}

/** What a session needs from the engine (kept small so commands can be tested alone). */
export interface SessionDeps {
  store: ConversationStore;
  backend: () => Promise<ModelBackend>;
  personas: PersonaRegistry;
  commands: readonly CommandSpec[];
  defaultPersona: string;
  limits: EngineLimits;
  /** Called after a completed reply whose context dropped turns (folds them into the summary). */
  onDropped(key: string, meta: ConversationMeta, windowStart: number): void;
  /** Recent turns kept in process. */
  cache: WindowCache;
  clock: Clock;
  lore?: LoreProvider;
  /** For scheduling work in this conversation later (vote windows). */
  engine: Scheduling;
}

/** The engine's durable schedule, as a session uses it (see Engine.schedule). */
export interface Scheduling {
  schedule(ref: ConversationRef, name: string, dueAt: number, data?: JobData): Promise<void>;
  cancel(ref: ConversationRef, name: string): Promise<void>;
  cancelAll(ref: ConversationRef): Promise<void>;
}

/** A file sent with a message or command. */
export interface Attachment {
  name: string;
  contentType?: string;
  data: Uint8Array;
}

/**
 * Fills the context's lore slot: given the recent turns and the new one, returns the lore text
 * to inject, at most `budgetTokens` long. Called once per generated reply.
 */
export type LoreProvider = (session: Session, recent: readonly Turn[], next: Turn, budgetTokens: number) => Promise<string | LoreSlot>;

/** Lore for one reply, and what to record once the reply is saved (e.g. for `lore why`). */
export interface LoreSlot {
  text: string;
  afterCommit?: () => Promise<void>;
}

export interface ReplyRequest {
  /** The turn that asks for the reply; saved with the reply when it completes. */
  turn: Turn;
  /** Persona for this reply only (default: the conversation's). */
  persona?: Persona;
  /** The meta the reply builds on and commits (default: the current meta). */
  meta?: ConversationMeta;
  /** Buttons under the reply. */
  actions?: ReplyAction[];
  /** Extra instruction for this reply only, appended to the system prompt. */
  instruction?: string;
  /**
   * Runs when the reply is complete, before anything is saved: returns the meta to commit with
   * it (e.g. a story's new poll) and, if different, the text to store. Saved in the same write
   * as the turn, so a failure here or there saves nothing.
   */
  finalize?: (text: string, meta: ConversationMeta) => Promise<Finalized> | Finalized;
}

export interface Finalized {
  meta: ConversationMeta;
  /** The reply as stored (default: as shown). */
  storedText?: string;
}

/**
 * One conversation while the engine holds its lock: its meta, who is speaking, and the
 * operations commands use. Nothing here writes to the store except on success.
 */
export class Session {
  constructor(
    readonly key: string,
    readonly ref: ConversationRef,
    readonly speaker: Speaker,
    public meta: ConversationMeta,
    readonly deps: SessionDeps,
    readonly signal?: AbortSignal,
    /** Files that came with the command (an imported card or World Info file). */
    readonly attachments: readonly Attachment[] = [],
  ) {}

  get personas(): PersonaRegistry {
    return this.deps.personas;
  }

  get commands(): readonly CommandSpec[] {
    return this.deps.commands;
  }

  /** The conversation's persona, or the default one when it was removed or broke. */
  persona(): Persona {
    const persona = this.deps.personas.get(this.meta.persona) ?? this.deps.personas.get(this.deps.defaultPersona) ?? this.deps.personas.list()[0];
    if (!persona) throw new UserFacingError('internal', 'No persona could be loaded; check the files in personas/.');
    return persona;
  }

  /** The engine's clock (a fake one in tests). */
  now(): number {
    return this.deps.clock.now();
  }

  /**
   * Runs the job handler `name` in this conversation after `delayMs` (by the engine's clock), as
   * Muse, and shows what it says through the platform's outbox (e.g. closing a vote). The job is
   * stored, so it survives a restart; the same name replaces an earlier one. Throws when the
   * store fails (so nothing is left open without a stored deadline).
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

  /** Looks a persona up by name, with a clear sentence when it is unknown or broken. */
  requirePersona(name: string): Persona {
    const persona = this.deps.personas.get(name);
    if (persona) return persona;
    const broken = this.deps.personas.errorFor(name);
    if (broken) throw new UserFacingError('bad_input', `The persona "${name}" could not be loaded: ${broken.file}: ${broken.message}`);
    const names = this.deps.personas.list().map((p) => p.name).join(', ');
    throw new UserFacingError('bad_input', `There is no persona "${name}". Available: ${names}.`);
  }

  /** A turn from the current speaker. */
  userTurn(text: string, kind?: string): Turn {
    const turn: Turn = { role: 'user', userId: this.speaker.id, name: this.speaker.name, text, at: Date.now() };
    if (kind) turn.kind = kind;
    return turn;
  }

  /** Meta for a fresh story or lesson: later turns only, empty summary. */
  freshMeta(persona: string, settings: Record<string, unknown>): ConversationMeta {
    const m = this.meta;
    return { ...m, base: m.count, summary: '', summarizedUpTo: m.count, persona, settings };
  }

  async commitMeta(meta: ConversationMeta): Promise<void> {
    const next = { ...meta, updatedAt: Date.now() };
    await this.deps.store.putMeta(this.key, next);
    this.meta = next;
  }

  /** A stored record (per learner, per story, ...); keys are shared by all conversations. */
  record<T>(key: string): Promise<T | undefined> {
    return this.deps.store.getRecord<T>(key);
  }

  saveRecord<T>(key: string, value: T): Promise<void> {
    return this.deps.store.setRecord(key, value);
  }

  deleteRecord(key: string): Promise<void> {
    return this.deps.store.deleteRecord(key);
  }

  /**
   * Replaces the text of the last reply (e.g. the version of a beat shown when the story moves
   * on becomes canon). The asking turn stays as it was.
   */
  async rewriteLastReply(text: string): Promise<void> {
    const m = this.meta;
    if (m.count - m.base < 2) throw new UserFacingError('bad_input', 'There is no reply to change yet.');
    const [asked, answered] = await this.readTurns(m.count - 2, m.count);
    if (!asked || answered?.role !== 'assistant') throw new UserFacingError('bad_input', 'The last message is not a reply of Muse\'s.');
    const next: ConversationMeta = { ...m, updatedAt: Date.now(), rev: randomUUID() };
    await this.deps.store.append(this.key, next, [asked, { ...answered, text, at: Date.now() }]);
    this.deps.cache.forget(this.key);
    this.meta = next;
  }

  async clear(): Promise<void> {
    await this.deps.engine.cancelAll(this.ref);
    this.deps.cache.forget(this.key);
    await this.deps.store.clear(this.key);
  }

  /** Turns of the current story/session, oldest first. */
  async readTurns(from: number, to: number): Promise<Turn[]> {
    const out: Turn[] = [];
    for (let i = from; i < to; i += 500) out.push(...(await this.deps.store.getTurns(this.key, i, Math.min(to, i + 500))));
    return out;
  }

  /**
   * Generates a reply and streams it; saves the asking turn and the reply (and the new meta)
   * only when the reply completed. Ends with 'done' or 'error'.
   */
  async *reply(request: ReplyRequest): AsyncGenerator<ReplyPart> {
    const prepared = await this.prepare(request);
    let text = '';
    try {
      for await (const part of prepared.backend.stream(this.modelRequest(prepared))) {
        if (part.type === 'text' && part.text) {
          text += part.text;
          yield { type: 'text', text: part.text };
        }
      }
    } catch (err) {
      throw asModelFailure(err, text.length > 0);
    }
    yield* this.commit(prepared, text, true);
  }

  /**
   * Generates a reply without showing or saving it: a draft to check before it is shown (a poem
   * whose form is checked, a grade to parse). `followUp` messages go after the usual context,
   * e.g. the previous draft and what to repair. Throws ModelFailure.
   */
  async draft(request: ReplyRequest, followUp: ChatMessage[] = []): Promise<string> {
    const prepared = await this.prepare(request);
    const modelRequest = this.modelRequest(prepared);
    modelRequest.messages = [...modelRequest.messages, ...followUp];
    try {
      return (await generateText(prepared.backend, modelRequest)).text;
    } catch (err) {
      throw asModelFailure(err, false);
    }
  }

  /**
   * Shows a finished reply (e.g. the best draft) as one message and saves it with its asking
   * turn, exactly as reply() saves a streamed one. `notice` is a line shown under it, not saved.
   */
  async *deliver(request: ReplyRequest, text: string, notice?: string): AsyncGenerator<ReplyPart> {
    const prepared = await this.prepare(request);
    yield { type: 'message', text };
    if (notice) yield { type: 'notice', text: notice };
    yield* this.commit(prepared, text, false);
  }

  private async prepare(request: ReplyRequest): Promise<Prepared> {
    const base = request.meta ?? this.meta;
    const persona = request.persona ?? this.persona();
    const backend = await this.deps.backend();
    const context = this.deps.limits.contextTokens ?? backend.contextTokens;
    const system = systemPrompt(persona, base, this.ref, request.instruction);
    const fixed = estimateTokens(system) + estimateTokens(base.summary) + estimateTokens(request.turn.text) + 16;
    const loreBudget = this.deps.lore ? Math.min(this.deps.limits.loreTokens, Math.floor((context - persona.maxOutputTokens - fixed) / 3)) : 0;
    const budget = Math.max(0, context - persona.maxOutputTokens - fixed - loreBudget);
    const window = await readWindow(this.deps.cache.reader(this.deps.store, this.key, base), base, { tokenBudget: budget, maxTurns: this.deps.limits.maxContextTurns });
    const slot = this.deps.lore && loreBudget > 0 ? await this.deps.lore(this, window.turns, request.turn, loreBudget) : '';
    const lore = typeof slot === 'string' ? { text: slot } : slot;
    const messages = assemble({ system, summary: base.summary, lore: lore.text, window: window.turns, next: request.turn });
    const maxOutputTokens = Math.max(16, Math.min(persona.maxOutputTokens, context - fixed));
    return { request, base, persona, backend, messages, maxOutputTokens, window, ...(lore.afterCommit ? { afterCommit: lore.afterCommit } : {}) };
  }

  private modelRequest(prepared: Prepared): ModelRequest {
    return {
      messages: prepared.messages,
      temperature: prepared.persona.temperature,
      maxOutputTokens: prepared.maxOutputTokens,
      timeoutMs: this.deps.limits.modelTimeoutMs,
      ...(this.signal ? { signal: this.signal } : {}),
    };
  }

  /** Saves the exchange, then yields the notice, the buttons and 'done'. */
  private async *commit(prepared: Prepared, text: string, partial: boolean): AsyncGenerator<ReplyPart> {
    const { request, base, window } = prepared;
    if (!text.trim()) {
      throw new ModelFailure(new ModelError('unknown', 'The model returned an empty reply, so nothing was saved; please try again.'), false);
    }
    let next: ConversationMeta = { ...base, count: base.count + 2, updatedAt: Date.now(), rev: randomUUID(), epoch: base.epoch ?? randomUUID() };
    let stored = text;
    try {
      if (request.finalize) {
        const finalized = await request.finalize(text, next);
        next = { ...finalized.meta, count: next.count, rev: next.rev, epoch: next.epoch, updatedAt: next.updatedAt };
        stored = finalized.storedText ?? text;
      }
    } catch (err) {
      if (err && typeof err === 'object') (err as { partial?: boolean }).partial = partial;
      throw err;
    }
    const reply: Turn = { role: 'assistant', userId: 'muse', name: 'Muse', text: stored, at: Date.now(), kind: request.turn.kind ?? 'reply' };
    try {
      await this.deps.store.append(this.key, next, [request.turn, reply]);
    } catch (err) {
      this.deps.cache.forget(this.key);
      (err as { partial?: boolean }).partial = partial;
      throw err;
    }
    this.meta = next;
    this.deps.cache.remember(this.key, next.rev!, window.start, [...window.turns, request.turn, reply]);
    await prepared.afterCommit?.().catch(() => undefined); // a note about the reply, never the reply itself
    if (window.dropped >= this.deps.limits.summaryBatch) {
      yield { type: 'notice', text: `(Older turns no longer fit Muse's context; ${window.dropped} of them are being folded into the summary.)` };
      this.deps.onDropped(this.key, next, window.start);
    }
    if (request.actions?.length) yield { type: 'actions', actions: request.actions };
    yield { type: 'done', text };
  }

  /** A complete, non-streamed reply (command output). */
  async *say(text: string, ephemeral = false): AsyncGenerator<ReplyPart> {
    yield { type: 'message', text, ...(ephemeral ? { ephemeral } : {}) };
    yield { type: 'done', text };
  }
}

interface Prepared {
  request: ReplyRequest;
  base: ConversationMeta;
  persona: Persona;
  backend: ModelBackend;
  messages: ChatMessage[];
  maxOutputTokens: number;
  window: ContextWindow;
  afterCommit?: () => Promise<void>;
}

/** A model failure, remembering whether text was already shown. */
export class ModelFailure extends Error {
  constructor(readonly error: ModelError, readonly partial: boolean) {
    super(error.message, { cause: error });
    this.name = 'ModelFailure';
  }
}

function asModelFailure(err: unknown, partial: boolean): ModelFailure {
  if (err instanceof ModelError) return new ModelFailure(err, partial);
  return new ModelFailure(new ModelError('unknown', 'The model failed unexpectedly, so nothing was saved; please try again.', { cause: err }), partial);
}

import { randomUUID } from 'node:crypto';
import { english, render, type Translate } from '../i18n/index.js';
import type { ConversationMeta, ConversationStore, Turn } from '../memory/types.js';
import { generateText, ModelError, type ChatMessage, type ImageInput, type ModelBackend, type ModelRequest, type Usage } from '../model/types.js';
import type { Persona } from '../personas/schema.js';
import { assemble, readWindow, SUMMARY_LABEL, type ContextWindow } from './context.js';
import type { ConversationRef } from './conversation.js';
import type { GuardWho, TurnGuard } from './guard.js';
import type { EngineLimits } from './limits.js';
import { UserFacingError, type ReplyAction, type ReplyPart } from './parts.js';
import { DATA_HEADER, type Prompt, type PromptInput } from './prompt.js';
import { withImageNotes } from './images.js';
import { asModelFailure, ModelFailure } from './model-failure.js';
import { estimateTokens } from './tokens.js';
import type { WindowCache } from './window-cache.js';

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
  /** Who speaks in the reply (a story's cast), kept on the stored turn. */
  speakers?: string[];
}

/** What a context slot may read and record of the conversation. */
export interface SlotView {
  readonly key: string;
  readonly meta: ConversationMeta;
  now(): number;
  record<T>(key: string): Promise<T | undefined>;
  /** A read-modify-write of a record by compare-and-set (see Session.updateRecord). */
  updateRecord<T>(key: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined>;
}

/**
 * A slot of each reply's context that a feature fills (lore): a block of data headed `label`,
 * after the summary and before the turns, at most `maxTokens` long (less when the context is
 * small). Asked once per generated reply with the recent turns and the new one. What it holds
 * was written by people, so it reaches the model as data (see dataMessage), never as instructions.
 */
export interface ContextSlot {
  label: string;
  maxTokens: number;
  fill(session: SlotView, recent: readonly Turn[], next: Turn, budgetTokens: number): Promise<string | SlotText>;
}

/** A slot's text for one reply, and what to record once the reply is saved (e.g. for `lore why`). */
export interface SlotText {
  text: string;
  afterCommit?: () => Promise<void>;
}

/** What writing a reply needs from the engine. */
export interface ReplyDeps {
  store: ConversationStore;
  /** The backend for the conversation whose meta this is (its chosen model). */
  backend: (meta: ConversationMeta) => Promise<ModelBackend>;
  limits: EngineLimits;
  /** Recent turns kept in process. */
  cache: WindowCache;
  /** The prompt of a reply: system instructions (the instruction, the persona's, the features' rules) and the data people wrote. */
  systemPrompt(input: PromptInput, instruction?: string): Prompt;
  slots: readonly ContextSlot[];
  /** Called after a completed reply whose context dropped turns (folds them into the summary); `spent` counts its tokens. */
  onDropped(key: string, meta: ConversationMeta, windowStart: number, spent?: (tokens: number) => void): void;
  /** Fair use: limits, budgets, moderation (openGuard lets everything through). */
  guard: TurnGuard;
}

/** The conversation a reply is written in: a Session. */
export interface ReplyHost extends SlotView {
  readonly ref: ConversationRef;
  /** The speaker's language, for what Muse itself says under a reply (a notice). */
  readonly t: Translate;
  meta: ConversationMeta;
  readonly signal?: AbortSignal | undefined;
  /** Pictures that came with the turn (for a model that sees them). */
  readonly images?: readonly ImageInput[];
  /** Set once a reply showed the pictures to a model, or said its model could not see them (see toldIfUnseen). */
  imagesSeen?: boolean;
  persona(): Persona;
  /** Appends the turns with their meta, fenced by the conversation's lease (see FencedWriter). */
  saveTurns(meta: ConversationMeta, turns: Turn[]): Promise<void>;
  /**
   * Fair use: `begin` before a model call (the first time in a command run, the guard's checks:
   * limits, budget, the input's moderation, throwing their sentence; then a 'started' part),
   * `who` acts here, for the guard.
   */
  readonly fair: { begin(turn: Turn): Promise<void>; who(): GuardWho };
}

interface Prepared {
  request: ReplyRequest;
  /** The asking turn as stored: with a note of each picture, never the picture. */
  turn: Turn;
  /** Said under the reply when the model could not see the turn's pictures. */
  notice?: string;
  base: ConversationMeta;
  persona: Persona;
  backend: ModelBackend;
  messages: ChatMessage[];
  maxOutputTokens: number;
  window: ContextWindow;
  afterCommit: Array<() => Promise<void>>;
}

/**
 * Generates a reply and streams it; saves the asking turn and the reply (and the new meta)
 * only when the reply completed. Ends with 'done' or 'error'.
 */
export async function* streamReply(host: ReplyHost, deps: ReplyDeps, request: ReplyRequest): AsyncGenerator<ReplyPart> {
  await host.fair.begin(request.turn);
  const prepared = await prepare(host, deps, request);
  const who = host.fair.who();
  // All-ages with moderation on: nothing is shown before the reply is checked.
  const held = deps.guard.holds(who);
  let text = '';
  try {
    for await (const part of prepared.backend.stream(modelRequest(host, deps, prepared))) {
      if (part.type === 'text' && part.text) {
        text += part.text;
        if (!held) yield { type: 'text', text: part.text };
      } else if (part.type === 'finish') spend(deps, who, part.usage);
    }
  } catch (err) {
    throw asModelFailure(err, !held && text.length > 0);
  }
  const blocked = text.trim() ? await deps.guard.checkOutput(text, who) : undefined;
  if (blocked !== undefined) {
    if (held) throw UserFacingError.of('blocked', blocked.key, blocked.vars);
    // Mature: it streamed; take it back and say why, in its place. Nothing is saved.
    yield { type: 'withdraw' };
    yield { type: 'error', code: 'blocked', message: render(english, blocked), text: blocked };
    return;
  }
  if (held && text) yield { type: 'text', text };
  yield* commit(host, deps, prepared, text, true);
}

function spend(deps: ReplyDeps, who: GuardWho, usage: Usage): void {
  deps.guard.spent(who, (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0));
}

/** Generates a reply without showing or saving it (see Session.draft). Throws ModelFailure. */
export async function draftReply(host: ReplyHost, deps: ReplyDeps, request: ReplyRequest, followUp: ChatMessage[]): Promise<string> {
  await host.fair.begin(request.turn);
  const prepared = await prepare(host, deps, request);
  const req = modelRequest(host, deps, prepared);
  req.messages = [...req.messages, ...followUp];
  let generated: { text: string; usage: Usage };
  try {
    generated = await generateText(prepared.backend, req);
  } catch (err) {
    throw asModelFailure(err, false);
  }
  spend(deps, host.fair.who(), generated.usage);
  return generated.text;
}

/** Shows a finished reply as one message and saves it with its asking turn (see Session.deliver). */
export async function* deliverReply(host: ReplyHost, deps: ReplyDeps, request: ReplyRequest, text: string, notice?: string): AsyncGenerator<ReplyPart> {
  const prepared = await prepare(host, deps, request);
  // What was drafted is checked as it is delivered (drafts themselves are never shown).
  const blocked = text.trim() ? await deps.guard.checkOutput(text, host.fair.who()) : undefined;
  if (blocked !== undefined) throw UserFacingError.of('blocked', blocked.key, blocked.vars);
  yield { type: 'message', text };
  if (notice) yield { type: 'notice', text: notice };
  yield* commit(host, deps, prepared, text, false);
}

/** The model's messages: system prompt, summary, the slots, as many recent turns as fit, the new turn. */
async function prepare(host: ReplyHost, deps: ReplyDeps, request: ReplyRequest): Promise<Prepared> {
  const base = request.meta ?? host.meta;
  const persona = request.persona ?? host.persona();
  const backend = await deps.backend(base);
  const context = deps.limits.contextTokens ?? backend.contextTokens;
  const images = host.images ?? [];
  const turn = withImageNotes(request.turn, images);
  const { system, data, late } = deps.systemPrompt({ persona, meta: base, ref: host.ref }, request.instruction);
  const given = [...data, { label: SUMMARY_LABEL, text: base.summary }];
  // A block of data costs its header and, per item, its text and a label.
  const dataTokens = (items: ReadonlyArray<{ text: string }>) => estimateTokens(DATA_HEADER) + items.reduce((n, d) => n + estimateTokens(d.text) + 8, 0);
  const fixed = estimateTokens(system) + dataTokens(given) + (late.length ? dataTokens(late) : 0) + estimateTokens(turn.text) + 16;
  // The slots share a third of what is left, each within its own cap.
  const share = deps.slots.length ? Math.floor((context - persona.maxOutputTokens - fixed) / 3 / deps.slots.length) : 0;
  const budgets = deps.slots.map((slot) => Math.min(slot.maxTokens, share));
  const budget = Math.max(0, context - persona.maxOutputTokens - fixed - budgets.reduce((a, b) => a + b, 0));
  const window = await readWindow(deps.cache.reader(deps.store, host.key, base), base, { tokenBudget: budget, maxTurns: deps.limits.maxContextTurns });
  const slots: Array<{ label: string; text: string }> = [];
  const afterCommit: Array<() => Promise<void>> = [];
  for (const [i, slot] of deps.slots.entries()) {
    if (budgets[i]! <= 0) continue;
    const filled = await slot.fill(host, window.turns, turn, budgets[i]!);
    const { text, afterCommit: after } = typeof filled === 'string' ? { text: filled, afterCommit: undefined } : filled;
    slots.push({ label: slot.label, text });
    if (after) afterCommit.push(after);
  }
  const messages = assemble({ system, data: [...given, ...slots], window: window.turns, next: turn, late });
  const sees = images.length > 0 && backend.seesImages === true;
  // The pictures go with the new turn only; a model that cannot see gets its text, and the user is told.
  if (sees) messages[messages.length - 1] = { ...messages.at(-1)!, images };
  const maxOutputTokens = Math.max(16, Math.min(persona.maxOutputTokens, context - fixed));
  const notice = images.length > 0 && !sees ? { notice: host.t('pictures.cannotSee') } : {};
  return { request, turn, ...notice, base, persona, backend, messages, maxOutputTokens, window, afterCommit };
}

/** The model call (a streamed reply or a draft); its model sees the turn's pictures when they are in its messages. */
function modelRequest(host: ReplyHost, deps: ReplyDeps, prepared: Prepared): ModelRequest {
  if (prepared.messages.at(-1)?.images?.length) host.imagesSeen = true;
  return {
    messages: prepared.messages,
    temperature: prepared.persona.temperature,
    maxOutputTokens: prepared.maxOutputTokens,
    timeoutMs: deps.limits.modelTimeoutMs,
    ...(host.signal ? { signal: host.signal } : {}),
  };
}

/** Saves the exchange, then yields the notice, the buttons and 'done'. */
async function* commit(host: ReplyHost, deps: ReplyDeps, prepared: Prepared, text: string, partial: boolean): AsyncGenerator<ReplyPart> {
  const { request, base, window } = prepared;
  if (!text.trim()) {
    throw new ModelFailure(ModelError.of('unknown', 'modelError.empty'), false);
  }
  const now = host.now();
  let next: ConversationMeta = { ...base, count: base.count + 2, updatedAt: now, rev: randomUUID(), epoch: base.epoch ?? randomUUID() };
  let stored = text;
  let speakers: string[] | undefined;
  try {
    if (request.finalize) {
      const finalized = await request.finalize(text, next);
      next = { ...finalized.meta, count: next.count, rev: next.rev, epoch: next.epoch, updatedAt: next.updatedAt };
      stored = finalized.storedText ?? text;
      speakers = finalized.speakers;
    }
  } catch (err) {
    if (err && typeof err === 'object') (err as { partial?: boolean }).partial = partial;
    throw err;
  }
  const reply: Turn = {
    role: 'assistant',
    userId: 'muse',
    name: 'Muse',
    text: stored,
    at: now,
    kind: request.turn.kind ?? 'reply',
    ...(speakers?.length ? { speakers } : {}),
  };
  try {
    await host.saveTurns(next, [prepared.turn, reply]);
  } catch (err) {
    if (err && typeof err === 'object') (err as { partial?: boolean }).partial = partial;
    throw err;
  }
  deps.cache.remember(host.key, next.rev!, window.start, [...window.turns, prepared.turn, reply]);
  if (prepared.notice) {
    host.imagesSeen = true;
    yield { type: 'notice', text: prepared.notice };
  }
  // A note about the reply, never the reply itself.
  for (const after of prepared.afterCommit) await after().catch(() => undefined);
  if (window.dropped >= deps.limits.summaryBatch) {
    yield { type: 'notice', text: host.t('engine.folding', { n: window.dropped }) };
    const who = host.fair.who();
    deps.onDropped(host.key, next, window.start, (tokens) => deps.guard.spent(who, tokens));
  }
  if (request.actions?.length) yield { type: 'actions', actions: request.actions };
  yield { type: 'done', text };
}

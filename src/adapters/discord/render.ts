import type { ReplyAction, ReplyFile, ReplyPart } from '../../engine/parts.js';
import { openFenceAt, splitMessage, splitOnce } from '../../text/split.js';
import { english, type Translate } from '../../i18n/index.js';
import { finish, held, privateText, readReply, withTrailer, type PlanOptions, type ReplyPlan, type ReplyState } from '../common/reply-plan.js';
import { sceneAsText } from '../common/scene.js';
import { BOLD, castReady, clearAbove, drawScene, SCENE_MARK, type CastPoster, type ScenePort } from './scene.js';

/** One message as the renderer wants it shown; a surface turns it into a platform payload. */
export interface OutgoingMessage {
  content: string;
  /** Buttons (only on the last message, once the reply is complete). */
  actions?: readonly ReplyAction[];
  /** Attachments (only on the last message, once the reply is complete). */
  files?: readonly ReplyFile[];
  /** Message 0 only: shown in the clicked message instead of a new one. */
  inPlace?: boolean;
}

/** Where a reply is shown: an interaction's reply and follow-ups, or messages in a channel. */
export interface Surface {
  /** Posts cast lines as the characters, where the place allows it. */
  cast?: CastPoster | undefined;
  /** What this place allows (private replies, a click's message), for the reply plan. */
  readonly plan: PlanOptions;
  /** A deferred interaction waits for this reply: an empty reply still finishes it. */
  readonly awaited: boolean;
  /** Creates message number `index` (0 first), or edits it when it already exists. */
  put(index: number, message: OutgoingMessage): Promise<void>;
  /** Deletes message number `index` and those after it: a reply taken back is shown in fewer messages than it streamed into. */
  dropFrom?(index: number): Promise<void>;
  /** The reply, shown to the speaker alone (with `plan.privateReplies`). */
  whisper?(text: string): Promise<void>;
  /** A private note to the speaker beside a public reply (with `plan.privateReplies`). */
  aside?(text: string): Promise<void>;
  /** Removes what this reply posted so far (a "writing…" marker, a deferral), before it is shown in place or a scene opens with a line. */
  clear?(): Promise<void>;
  /** Takes the buttons off the clicked message (with `plan.clicked`). */
  retire?(): Promise<void>;
}

export interface RenderOptions {
  /** Characters per message (Discord: 2000). */
  limit?: number;
  /** Least time between two edits while streaming, in ms (default 1000). */
  editIntervalMs?: number;
  /**
   * Show the "writing…" marker as soon as the turn starts (its 'started' part: checks passed, the
   * model call begins), before any text (channel messages have no "thinking"). A refused or
   * queued turn never starts, so it posts no marker.
   */
  placeholder?: boolean;
  /** Show the marker only when nothing has come this long after the turn started (button clicks: most answer at once). */
  placeholderAfterMs?: number;
  onError?: (err: unknown, what: string) => void;
  /** Muse's own words in the turn's language (the "writing…" marker, "What next?"); default English. */
  t?: Translate;
}

export interface RenderOutcome {
  plan: ReplyPlan;
  /** Public messages shown. */
  messages: number;
}

export const WRITING_MARKER = english('surface.writing');

/** How Discord writes the lines under a reply: the error after a warning sign, notices as subtext. */
const TRAILER = { error: (s: string) => `⚠️ ${s}`, notice: (n: string) => `-# ${n}` };

/**
 * Draws the reply plan on Discord: edits at most once per interval with a visible "writing…"
 * marker, continues in further messages past the limit (cut at paragraph or stanza breaks, code
 * blocks intact), adds buttons and files to the last message at the end, and always finishes the
 * message, never a stuck "thinking". What goes where is the plan's (src/adapters/common).
 */
export function renderReply(parts: AsyncIterable<ReplyPart>, surface: Surface, options: RenderOptions = {}): Promise<RenderOutcome> {
  return new Renderer(surface, { ...options, t: options.t ?? english }).run(parts);
}

class Renderer {
  private readonly limit: number;
  private readonly interval: number;
  private readonly committed: string[] = [];
  private readonly shown: string[] = [];
  /** The open (last) message's text; `fed` characters of the plan's text are in committed + buffer. */
  private buffer = '';
  private fed = 0;
  private inPlace = false;
  /** The last message's buttons and files, once the plan is final. */
  private under: { actions: readonly ReplyAction[]; files: readonly ReplyFile[] } = { actions: [], files: [] };
  private timer: NodeJS.Timeout | undefined;
  private placeholderTimer: NodeJS.Timeout | undefined;
  private painting: Promise<void> = Promise.resolve();
  private busy = false;
  private dirty = false;
  private closed = false;
  private lastPaint = -Infinity;
  /** The plan's public text so far. */
  private text = '';
  private started = false;

  constructor(
    private readonly surface: Surface,
    private readonly options: RenderOptions & { t: Translate },
  ) {
    this.limit = options.limit ?? 2000;
    this.interval = options.editIntervalMs ?? 1000;
  }

  async run(parts: AsyncIterable<ReplyPart>): Promise<RenderOutcome> {
    const state = await readReply(
      parts,
      { ...this.surface.plan, t: this.options.t },
      (s) => this.onPart(s),
      (err) => this.options.onError?.(err, 'reply stream failed'),
    );
    this.stopTimers();
    this.closed = true;
    await this.painting;

    const plan = finish(state, { awaited: this.surface.awaited || (!!this.options.placeholder && !!state.started) || this.shown.length > 0 });
    const cast = plan.public?.scene ? this.surface.cast : undefined;
    if (cast && (await castReady(cast, this.options.onError))) {
      await this.safely(() => drawScene(this.scenePort(), plan.public!, cast), 'scene failed');
    } else if (plan.public) {
      const shown = plan.public;
      // A scene where characters cannot post: one text with their names in bold.
      if (shown.scene) {
        this.feed(shown.scene.lead);
        this.buffer += sceneAsText(shown.scene, BOLD).slice(shown.scene.lead.length);
      } else if (shown.text === state.text) this.feed(state.text);
      else this.buffer = shown.text; // a fallback: the reply had no text of its own
      this.buffer = withTrailer(this.buffer, shown, TRAILER);
      this.inPlace = shown.inPlace;
      this.under = { actions: shown.actions, files: shown.files };
      // The final edit takes the "writing…" marker away: try it twice before giving up.
      await this.safely(() => this.paint(true).catch(() => this.paint(true)), 'final edit failed');
    }
    if (plan.private) {
      const text = privateText(plan.private, TRAILER);
      await this.safely(() => (plan.public ? this.asideAll(text) : this.whisperAll(text)), 'private reply failed');
    }
    if (plan.retireClicked && this.surface.retire) await this.safely(() => this.surface.retire!(), 'could not take the used buttons off');
    return { plan, messages: this.shown.length };
  }

  /** What drawScene needs of this renderer: the lead's final edit, new messages after it. */
  private scenePort(): ScenePort {
    return {
      limit: this.limit,
      lead: async (lead) => {
        this.feed(lead);
        this.buffer = this.buffer.trimEnd();
        // A scene that opens with a line has no lead: the marker (or the deferral) it could not remove is replaced.
        if (!this.buffer.trim() && this.shown.length) this.buffer = SCENE_MARK;
        if (this.buffer.trim()) await this.paint(true);
      },
      add: async (message) => {
        const index = this.shown.length;
        await this.surface.put(index, message);
        this.shown[index] = message.content;
      },
      clearAbove: () => clearAbove(this.surface, this.shown, (err, what) => this.options.onError?.(err, what)),
      trailer: TRAILER,
      whatNext: this.options.t('surface.whatNext'),
      onError: (err, what) => this.options.onError?.(err, what),
    };
  }

  private async onPart(state: ReplyState): Promise<void> {
    const text = held(state);
    if (state.started && !this.started) this.onStarted();
    if (text.length < this.text.length) this.withdraw();
    this.text = text;
    if (state.inPlace && !this.inPlace) await this.takePlace();
    if (text.length > this.fed) this.schedule();
  }

  private onStarted(): void {
    this.started = true;
    if (this.options.placeholder) this.schedule();
    else if (this.options.placeholderAfterMs !== undefined) {
      this.placeholderTimer = setTimeout(() => {
        this.placeholderTimer = undefined;
        this.schedule();
      }, this.options.placeholderAfterMs);
    }
  }

  /** The streamed text was taken back: the messages are rewritten from nothing (the final edit puts the sentence in its place). */
  private withdraw(): void {
    this.committed.length = 0;
    this.buffer = '';
    this.fed = 0;
  }

  /** A private answer, split like any reply: the first part as the whisper, the rest after it. */
  private async whisperAll(text: string): Promise<void> {
    const [first = '', ...rest] = splitMessage(text, this.limit);
    await this.surface.whisper!(first);
    for (const chunk of rest) await this.surface.aside!(chunk);
  }

  private async asideAll(text: string): Promise<void> {
    for (const chunk of splitMessage(text, this.limit)) await this.surface.aside!(chunk);
  }

  /** The plan shows the reply in the clicked message: anything already posted for it goes. */
  private async takePlace(): Promise<void> {
    this.inPlace = true;
    this.stopTimers();
    await this.painting;
    if (this.surface.clear) await this.safely(() => this.surface.clear!(), 'could not remove the placeholder');
    this.shown.length = 0;
  }

  private stopTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.placeholderTimer) clearTimeout(this.placeholderTimer);
    this.timer = undefined;
    this.placeholderTimer = undefined;
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer || this.busy) {
      this.dirty = true;
      return;
    }
    const wait = Math.max(0, this.lastPaint + this.interval - Date.now());
    this.timer = setTimeout(() => this.tick(), wait);
  }

  private tick(): void {
    this.timer = undefined;
    this.busy = true;
    this.lastPaint = Date.now();
    this.painting = this.safely(() => this.paint(false), 'edit failed').finally(() => {
      this.busy = false;
      if (this.dirty) {
        this.dirty = false;
        this.schedule();
      }
    });
  }

  /** Takes the plan's text written since the last paint into the open message. */
  private feed(text: string): void {
    this.buffer += text.slice(this.fed);
    this.fed = text.length;
  }

  /** Brings the messages up to date: final pieces, then the open one with the marker. */
  private async paint(final: boolean): Promise<void> {
    if (!final) this.feed(this.text);
    // Never blank the clicked message with a marker before the reply has text for it.
    if (!final && this.inPlace && !this.buffer.trim() && this.committed.length === 0) return;
    const marker = this.options.t('surface.writing');
    const room = final ? this.limit : this.limit - marker.length - 6;
    while (this.buffer.length > room) {
      const { head, tail } = splitOnce(this.buffer, room);
      this.committed.push(head);
      this.buffer = tail;
    }
    const desired = [...this.committed];
    if (final) {
      if (this.buffer.trim() || desired.length === 0) desired.push(this.buffer);
    } else if (this.buffer) {
      const fence = openFenceAt(this.buffer, this.buffer.length) ? '\n```' : '';
      desired.push(`${this.buffer}${fence}\n\n${marker}`);
    } else if (desired.length === 0) {
      desired.push(marker);
    }
    const { actions, files } = final ? this.under : { actions: [], files: [] };
    for (let i = 0; i < desired.length; i++) {
      const last = final && i === desired.length - 1;
      const content = desired[i]!;
      if (content === this.shown[i] && !(last && (actions.length || files.length))) continue;
      const message: OutgoingMessage = { content };
      if (i === 0 && this.inPlace) message.inPlace = true;
      if (last && actions.length) message.actions = actions;
      if (last && files.length) message.files = files;
      await this.surface.put(i, message);
      this.shown[i] = content;
    }
    // Fewer messages than were shown (the streamed text was taken back): none of the old ones may stay.
    if (final && this.shown.length > desired.length && this.surface.dropFrom) {
      await this.surface.dropFrom(desired.length);
      this.shown.length = desired.length;
    }
  }

  private async safely(fn: () => Promise<void>, what: string): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.options.onError?.(err, what);
    }
  }
}

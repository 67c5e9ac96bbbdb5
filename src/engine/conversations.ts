import { emptyMeta, LeaseLostError, type ConversationStore } from '../memory/types.js';
import { conversationKey, type ConversationRef, type Speaker } from './conversation.js';
import { endedOnce, errorPart, type EndingsLogger } from './endings.js';
import type { JobHandler } from './feature.js';
import type { ConversationLocks, Held } from './hold.js';
import type { Job } from '../memory/jobs.js';
import type { Observers } from './observer.js';
import type { Outboxes } from './outboxes.js';
import type { ImageInput } from '../model/types.js';
import { isLocale, type Locale } from '../i18n/index.js';
import type { ReplyPart } from './parts.js';
import type { JobScheduler } from './scheduler.js';
import { Session, type Attachment, type SessionDeps } from './session.js';
import { withSideParts } from './side-parts.js';

/** The speaker of announcements. */
export const MUSE: Speaker = { id: 'muse', name: 'Muse' };

export interface ConversationsDeps {
  store: ConversationStore;
  locks: ConversationLocks;
  scheduler: () => JobScheduler;
  sessionDeps: () => SessionDeps;
  defaultPersona: string;
  jobs: Readonly<Record<string, JobHandler>>;
  outboxes: Outboxes;
  observers: Observers;
  log: EndingsLogger;
}

/** Work in one conversation, as a turn, an announcement or a job does it. */
export interface InConversation {
  ref: ConversationRef;
  speaker: Speaker;
  run: (session: Session) => AsyncIterable<ReplyPart>;
  signal?: AbortSignal | undefined;
  attachments?: readonly Attachment[] | undefined;
  /** Checked pictures that came with the turn (see images.ts). */
  images?: readonly ImageInput[] | undefined;
  /** Whether the speaker may manage the conversation (see managerCheck). */
  manager?: (() => Promise<boolean>) | undefined;
  /** A turn: the conversation's due jobs run first, and the turn is counted (observer). */
  turn?: boolean;
  /** The language of Muse's own sentences in this work (default English: announcements, jobs). */
  locale?: Locale | undefined;
  /** The platform's language for the speaker (Session.platformLocale). */
  platformLocale?: Locale | undefined;
}

/**
 * How the engine works in a conversation: it takes the conversation (this process's queue, then
 * its lease), loads its memory into a Session and streams the work's parts, ending with exactly
 * one 'done' or 'error'. A lease lost meanwhile aborts the work (the model call too) and ends it
 * with one sentence; the session's fenced commits make sure nothing of it was saved.
 */
export class Conversations {
  constructor(private readonly deps: ConversationsDeps) {}

  async *run(work: InConversation): AsyncGenerator<ReplyPart> {
    const { ref } = work;
    const key = conversationKey(ref);
    const started = performance.now();
    let outcome = 'done';
    if (work.turn) this.deps.observers.turnStarted();
    try {
      let held: Held;
      try {
        held = await this.deps.locks.take(key, work.signal);
      } catch (err) {
        const part = errorPart(err, ref, this.deps.log);
        outcome = part.code;
        yield part;
        return;
      }
      try {
        if (work.turn) {
          await this.deps
            .scheduler()
            .runDue(key, held)
            .catch((err: unknown) => this.deps.log.error({ err, conversation: key }, 'overdue jobs could not run before the turn'));
        }
        for await (const part of endedOnce(ref, this.session(key, work, held), this.deps.log)) {
          if (part.type === 'error') outcome = part.code;
          yield part;
        }
      } finally {
        await held.release();
      }
    } finally {
      if (work.turn) this.deps.observers.turnEnded(outcome, performance.now() - started);
    }
  }

  /** A job's handler in its conversation (held by the scheduler), announced; true when it ended well. */
  async runJob(job: Job, held: Held): Promise<boolean> {
    const handler = this.deps.jobs[job.name];
    if (!handler) return false;
    const ref = job.conversation;
    // A job speaks the language its data names (the person whose turn scheduled it), else English.
    const locale = isLocale(job.data.locale) ? job.data.locale : undefined;
    const work: InConversation = { ref, speaker: MUSE, run: (session) => handler(session, job), locale };
    const end = await this.deps.outboxes.deliver(ref, endedOnce(ref, this.session(conversationKey(ref), work, held), this.deps.log));
    return end?.type === 'done';
  }

  /** The conversation's memory loaded into a session, and the work's parts (the conversation is held). */
  private async *session(key: string, work: InConversation, held: Held): AsyncGenerator<ReplyPart> {
    const deps = this.deps;
    try {
      const meta = (await this.deps.store.getMeta(key)) ?? emptyMeta(this.deps.defaultPersona);
      yield* withSideParts(async function* (emit) {
        const session = new Session(
          {
            key,
            ref: work.ref,
            speaker: work.speaker,
            meta,
            held,
            attachments: work.attachments,
            images: work.images,
            manager: work.manager,
            locale: work.locale,
            platformLocale: work.platformLocale,
            emit,
          },
          deps.sessionDeps(),
        );
        const removed = await session.loadPersona();
        if (removed) yield { type: 'notice', text: removed };
        yield* work.run(session);
      });
    } catch (err) {
      // The lease went while the work ran (it aborted the model call): say that, not "cancelled".
      if (held.lease.lost.aborted && !(err instanceof LeaseLostError)) throw lostWhile(key, err);
      throw err;
    }
  }
}

function lostWhile(key: string, err: unknown): LeaseLostError {
  const lost = new LeaseLostError(key);
  (lost as { cause?: unknown }).cause = err;
  if ((err as { partial?: boolean } | null)?.partial) (lost as { partial?: boolean }).partial = true;
  return lost;
}

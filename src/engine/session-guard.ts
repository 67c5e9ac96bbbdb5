import type { Turn } from '../memory/types.js';
import { tenantOf, type ConversationRef, type Speaker } from './conversation.js';
import type { GuardWho, Rating, TurnGuard } from './guard.js';
import { UserFacingError, type ReplyPart } from './parts.js';

/** What a session's guard needs to know about the run. */
export interface SessionGuardInit {
  key: string;
  ref: ConversationRef;
  speaker: Speaker;
  guard: TurnGuard;
  /** The conversation's rating now (the features decide: a story's rating, an age-restricted channel). */
  rating: () => Rating;
  signal: AbortSignal;
  /** Sends a part out of band, ahead of whatever the command yields next ('started'). */
  emit: (part: ReplyPart) => void;
}

/** The speaker of announcements and jobs: their model calls are no one's action. */
const MUSE_ID = 'muse';

/**
 * A command run's fair use: the guard's checks happen once, where its first model call starts
 * (so `/poem` is one action whatever its repairs, and a command that calls no model costs
 * nothing), then 'started' goes out. A refusal throws its sentence: no model call, nothing saved.
 */
export class SessionGuard {
  private begun = false;

  constructor(private readonly init: SessionGuardInit) {}

  who(): GuardWho {
    const { ref, speaker, key, signal } = this.init;
    return {
      user: `${ref.platform}:${speaker.id}`,
      tenant: tenantOf(ref, speaker.id),
      platform: ref.platform,
      rating: this.init.rating(),
      conversation: key,
      signal,
    };
  }

  async begin(turn: Turn): Promise<void> {
    if (this.begun) return;
    const { guard, speaker } = this.init;
    if (speaker.id !== MUSE_ID) {
      const who = this.who();
      const refused = await guard.admit(who);
      if (refused !== undefined) throw UserFacingError.of('limited', refused.key, refused.vars);
      const blocked = await guard.checkInput(turn.text, who);
      if (blocked !== undefined) throw UserFacingError.of('blocked', blocked.key, blocked.vars);
    }
    this.begun = true;
    this.init.emit({ type: 'started' });
  }

  redact(text: string): string {
    return this.init.guard.redact(text, { conversation: this.init.key });
  }
}

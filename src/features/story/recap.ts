import type { Turn } from '../../memory/types.js';
import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { formatChoices } from './choices.js';
import { readState, secondsLeft } from './state.js';

export const RECAP_INSTRUCTION =
  'Now step out of the story: summarise the story so far in at most 120 words for a player who is just joining: who the characters are, where they are, what has happened and what is at stake. Do not continue the story and do not list choices.';

/**
 * `story recap`: a summary for someone joining, from the story's context (summary and recent
 * beats). It is not a turn: nothing is saved, the story and any open vote are left as they are.
 */
export async function* recap(session: Session): AsyncGenerator<ReplyPart> {
  const m = session.meta;
  const state = readState(m);
  if (!state || m.count - m.base === 0) throw UserFacingError.of('bad_input', 'story.recap.nothing');
  const ask: Turn = {
    role: 'user',
    userId: session.speaker.id,
    name: session.speaker.name,
    text: 'Recap the story so far for someone who is just joining.',
    at: session.now(),
    kind: 'story.recap',
  };
  const summary = (await session.draft({ turn: ask, instruction: RECAP_INSTRUCTION })).trim();
  if (!summary) throw UserFacingError.of('bad_input', 'story.recap.failed');
  const t = session.t;
  const lines = [t('story.recap.soFar', { summary })];
  if (state.poll) {
    const when = state.voteMs === 0 ? t('story.recap.firstDecides') : t('story.recap.closesIn', { left: secondsLeft(session, state.poll.closesAt) });
    lines.push(t('story.recap.openVote', { when, choices: formatChoices(state.poll.choices) }));
  }
  if (state.round) lines.push(t('story.recap.round', { names: state.round.actions.map((a) => a.name).join(t('story.describe.nameSep')) }));
  yield* session.say(lines.join('\n\n'));
}

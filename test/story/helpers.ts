import { conversationKey, type ConversationRef, type Speaker } from '../../src/engine/conversation.js';
import type { Inbound } from '../../src/engine/engine.js';
import type { Coordination } from '../../src/memory/coordination.js';
import type { ActionRun, ReplyAction, ReplyPart } from '../../src/engine/parts.js';
import { readState } from '../../src/features/story/state.js';
import { FakeClock } from '../support/fake-clock.js';
import { channel, clicked, collect, makeEngine, type Reply } from '../support/engine.js';

export const carol: Speaker = { id: 'u-carol', name: 'Carol' };
export const dave: Speaker = { id: 'u-dave', name: 'Dave' };
export const key = conversationKey(channel);

/** A beat that ends with three choices, introduced by a label line. */
export const BEAT = 'The fox stops where the path forks.\n\nWhat do you do?\n1. Take the left path\n2. Take the right path\n3. Wait for nightfall';
export const NARRATION = 'The fox stops where the path forks.';

export type StoryTest = Awaited<ReturnType<typeof storyEngine>>;

/** Muse's engine with a fake clock, ties decided by `random`, and an attached outbox. */
export async function storyEngine(
  opts: { random?: () => number; store?: Awaited<ReturnType<typeof makeEngine>>['store']; clock?: FakeClock; coordination?: Coordination } = {},
) {
  const clock = opts.clock ?? new FakeClock();
  const t = await makeEngine({
    clock,
    random: opts.random ?? (() => 0),
    ...(opts.store ? { store: opts.store } : {}),
    ...(opts.coordination ? { coordination: opts.coordination } : {}),
  });
  const outbox: Array<{ ref: ConversationRef; reply: Reply }> = [];
  const detach = t.engine.attach('test', async (ref, parts) => {
    outbox.push({ ref, reply: await collect(parts) });
  });
  return {
    ...t,
    clock,
    outbox,
    /** A message, a command line, or a click on a button with this action, from `speaker`. */
    as: (speaker: Speaker, what: string | ActionRun, more: Partial<Inbound> = {}) =>
      typeof what === 'string' ? t.send(what, { speaker, ...more }) : t.send('', { speaker, ...clicked(what), ...more }),
    /** Moves the fake clock and waits for the announcements it set off. */
    tick: async (ms: number) => {
      clock.advance(ms);
      await t.engine.idle();
    },
    state: async (k = key) => readState((await t.store.getMeta(k))!)!,
    turns: async (k = key) => {
      const meta = (await t.store.getMeta(k))!;
      return t.store.getTurns(k, meta.base, meta.count);
    },
    userMessages: () => t.backend.lastCall!.messages.filter((m) => m.role === 'user').map((m) => m.content),
    close: async () => {
      detach();
      t.engine.close();
      await t.engine.idle();
    },
  };
}

export function actionsOf(reply: Reply): ReplyAction[] {
  const part = reply.parts.find((p): p is Extract<ReplyPart, { type: 'actions' }> => p.type === 'actions');
  return part?.actions ?? [];
}

/** The action of the button for choice n under a reply. */
export function choiceButton(reply: Reply, n: number): ActionRun {
  const action = actionsOf(reply).find((a) => a.id === `story.choice.${n}`);
  if (!action) throw new Error(`no button for choice ${n}`);
  return action.run;
}

import { afterEach, describe, expect, it } from 'vitest';
import { conversationKey, type ConversationRef } from '../../src/engine/conversation.js';
import { FakeClock } from '../support/fake-clock.js';
import { alice, bob } from '../support/engine.js';
import { BEAT, carol, choiceButton, dave, NARRATION, storyEngine, type StoryTest } from './helpers.js';

let open: StoryTest[] = [];
async function start(opts: Parameters<typeof storyEngine>[0] = {}, newCommand = '/story new a brave fox') {
  const t = await storyEngine(opts);
  open.push(t);
  t.backend.push(BEAT);
  const opening = await t.send(newCommand);
  expect(opening.done).toBeTruthy();
  return { t, opening };
}
afterEach(async () => {
  for (const t of open) await t.close();
  open = [];
});

describe('story: choices and votes', () => {
  it('streams the beat with its list, stores the narration alone and offers one button per choice', async () => {
    const { t, opening } = await start();
    expect(opening.text).toBe(BEAT); // shown as the model wrote it
    const turns = await t.turns();
    expect(turns.at(-1)!.text).toBe(NARRATION); // stored without the list
    const state = await t.state();
    expect(state.poll?.choices).toEqual(['Take the left path', 'Take the right path', 'Wait for nightfall']);
    expect(choiceButton(opening, 2)).toEqual({ command: 'story', sub: 'vote', options: { choice: 2, poll: state.poll!.id } });
    expect(t.backend.lastCall!.messages[0]!.content).toMatch(/2 to 4 short choices/);
  });

  it('closes the window by the clock, announces who voted for what, and the next beat follows the winning option', async () => {
    const { t, opening } = await start();
    expect((await t.as(bob, '/story join')).text).toBe('Bob joins the story.');
    await t.as(carol, '/story join');
    await t.as(dave, '/story join'); // a player who does not vote: the window stays open
    const ack = await t.as(alice, choiceButton(opening, 2));
    expect(ack.text).toMatch(/^Alice votes for 2\. Take the right path\. 1 vote so far; the vote closes in 60 s\.$/);
    expect(ack.parts[0]).toMatchObject({ type: 'message', ephemeral: true }); // only the voter sees it
    await t.as(bob, choiceButton(opening, 2));
    await t.as(carol, choiceButton(opening, 1));
    t.backend.push('The right path climbs into the hills.');
    await t.tick(59_999);
    expect(t.outbox).toHaveLength(0);
    await t.tick(1);
    expect(t.outbox).toHaveLength(1);
    const { reply } = t.outbox[0]!;
    expect(reply.text).toContain('The vote is closed: 2. "Take the right path" wins with 2 of 3 votes. Votes: Carol → 1; Alice, Bob → 2.');
    expect(reply.text).toContain('The right path climbs into the hills.');
    expect(t.userMessages().at(-1)).toContain('The players chose: Take the right path.');
    expect((await t.turns()).map((x) => x.kind)).toEqual(['story.new', 'story.new', 'story.vote', 'story.vote']);
    expect((await t.state()).poll).toBeUndefined();
  });

  it('voting again changes the vote', async () => {
    const { t, opening } = await start();
    await t.as(bob, '/story join');
    await t.as(bob, choiceButton(opening, 1));
    expect((await t.as(bob, choiceButton(opening, 3))).text).toContain('Bob votes for 3. Wait for nightfall (changed from 1). 1 vote so far');
    await t.tick(60_000);
    expect(t.outbox[0]!.reply.text).toContain('"Wait for nightfall" wins with 1 of 1 vote. Votes: Bob → 3.');
  });

  it('a tie goes to the option the starter voted for', async () => {
    const { t, opening } = await start({ random: () => 0.99 });
    await t.as(bob, '/story join');
    await t.as(alice, choiceButton(opening, 1));
    const last = await t.as(bob, choiceButton(opening, 3)); // every player has voted
    expect(last.text).toContain('1. "Take the left path" wins with 1 of 2 votes. It was a tie, decided by Alice\'s vote as the story\'s starter.');
  });

  it.each([
    [0, 'Take the left path'],
    [0.99, 'Take the right path'],
  ])('a tie the starter did not vote in is decided at random (random %s)', async (random, winner) => {
    const { t, opening } = await start({ random: () => random });
    await t.as(bob, '/story join');
    await t.as(carol, '/story join');
    await t.as(bob, choiceButton(opening, 1));
    await t.as(carol, choiceButton(opening, 2));
    await t.tick(60_000);
    expect(t.outbox[0]!.reply.text).toContain(`"${winner}" wins with 1 of 2 votes. It was a tie, decided at random.`);
    expect(t.userMessages().at(-1)).toContain(`The players chose: ${winner}.`);
  });

  it('no votes: the window closes and the story waits', async () => {
    const { t } = await start();
    await t.tick(60_000);
    expect(t.outbox[0]!.reply.text).toBe('The vote closed with no votes. Write what happens next, or use /story continue.');
    expect(t.backend.calls).toHaveLength(1);
  });

  it('late votes and votes for an earlier poll get a sentence', async () => {
    const { t, opening } = await start();
    await t.as(bob, '/story join');
    await t.as(alice, choiceButton(opening, 1));
    t.backend.push('The left path is muddy.'); // no choices: no new vote
    await t.tick(60_000);
    expect((await t.as(alice, choiceButton(opening, 2))).error?.message).toBe(
      'There is no open vote right now: that vote has closed. Write what happens next, or use /story continue.',
    );
    expect((await t.as(alice, '2')).error).toBeUndefined(); // a bare number with no vote open is an action
    expect(t.userMessages().at(-1)).toBe('Alice: 2');
    t.backend.push(BEAT);
    await t.send('/story continue');
    const stale = await t.as(alice, choiceButton(opening, 2));
    expect(stale.error?.message).toBe('That vote is over; vote on the latest choices instead.');
    expect((await t.as(alice, '/story vote 4')).error?.message).toBe('This vote has 3 choices; pick a number from 1 to 3.');
  });

  it('refuses votes from people outside the story in a channel, but not in a DM', async () => {
    const { t, opening } = await start();
    const refused = await t.as(dave, choiceButton(opening, 1));
    expect(refused.error).toMatchObject({ code: 'forbidden', message: 'Only players in this story can vote: write an action first, or use /story join.' });
    expect((await t.state()).poll!.votes).toEqual({});
    await t.as(dave, '/story join');
    expect((await t.as(dave, choiceButton(opening, 1))).text).toMatch(/^Dave votes for 1/);

    const dm: ConversationRef = { platform: 'test', workspace: 'w1', channel: 'dm-1', dm: true };
    t.backend.push(BEAT);
    await t.send('/story new a lonely fox', { conversation: dm });
    expect((await t.as(dave, '/story vote 2', { conversation: dm })).text).toMatch(/^Dave votes for 2/);
    expect((await t.state(conversationKey(dm))).poll!.votes['u-dave']).toEqual({ choice: 2, name: 'Dave' });
  });

  it('the starter can close the vote early; nobody else can', async () => {
    const { t, opening } = await start();
    await t.as(bob, '/story join');
    await t.as(bob, choiceButton(opening, 3));
    expect((await t.as(bob, '/story close')).error).toMatchObject({ code: 'forbidden', message: 'Only Alice, who started this story, can close it early.' });
    t.backend.push('Night falls.');
    const closed = await t.as(alice, '/story close');
    expect(closed.text).toContain('"Wait for nightfall" wins with 1 of 1 vote. Votes: Bob → 3.');
    expect(closed.text).toContain('Night falls.');
    await t.tick(120_000);
    expect(t.outbox).toHaveLength(0); // the timer was cancelled
    expect((await t.as(alice, '/story close')).error?.message).toBe('There is no open vote or round to close.');
  });

  it('with vote:0 the first vote decides', async () => {
    const { t, opening } = await start({}, '/story new a brave fox vote:0');
    expect((await t.state()).voteMs).toBe(0);
    t.backend.push('Left it is.');
    const reply = await t.as(alice, choiceButton(opening, 1));
    expect(reply.text).toContain('"Take the left path" wins with 1 of 1 vote.');
    expect(reply.text).toContain('Left it is.');
    expect(t.clock.pending).toBe(0);
    expect((await t.send('/story new x vote:soon')).error?.message).toMatch(/^The vote window is a whole number of seconds from 0 to 600/);
  });

  it('a plain message during an open vote cancels it and becomes the next action', async () => {
    const { t, opening } = await start();
    await t.as(bob, '/story join');
    await t.as(alice, choiceButton(opening, 1));
    t.backend.push('Bob climbs the old oak.');
    const reply = await t.as(bob, 'I climb a tree');
    expect(reply.text).toBe('The vote is cancelled: Bob wrote their own action.\n\nBob climbs the old oak.');
    expect(t.userMessages().at(-1)).toBe('Bob: I climb a tree');
    expect((await t.state()).players.map((p) => p.name)).toEqual(['Alice', 'Bob']);
    await t.tick(120_000);
    expect(t.outbox).toHaveLength(0);
  });

  it('after a restart, an overdue vote is closed by the next vote or message in the conversation', async () => {
    const clock = new FakeClock();
    const { t, opening } = await start({ clock });
    await t.as(bob, '/story join');
    await t.as(alice, choiceButton(opening, 2));
    await t.close(); // the process stops: its timers are gone
    const later = new FakeClock(clock.now() + 90_000);
    const again = await storyEngine({ store: t.store, clock: later });
    open.push(again);
    again.backend.push('The right path, at last.');
    const reply = await again.as(alice, choiceButton(opening, 1));
    expect(reply.text).toContain("The vote had already closed, so Alice's vote was not counted.");
    expect(reply.text).toContain('"Take the right path" wins with 1 of 1 vote.');
    expect(reply.text).toContain('The right path, at last.');

    // A plain message on an overdue vote: the result stands, and the message follows it.
    again.backend.push(BEAT);
    await again.send('/story continue');
    const poll = (await again.state()).poll!;
    await again.as(alice, `/story vote 3 poll:${poll.id}`);
    const third = new FakeClock(later.now() + 61_000);
    const restarted = await storyEngine({ store: t.store, clock: third });
    open.push(restarted);
    const msg = await restarted.as(bob, 'I light a lantern');
    expect(msg.text).toContain('"Wait for nightfall" wins with 1 of 1 vote.');
    expect(restarted.userMessages().at(-1)).toContain('The players chose: Wait for nightfall.');
    expect(restarted.userMessages().at(-1)).toContain('Then Bob acts: I light a lantern');
  });

  it('typing a bare number picks a choice while a vote is open; with one player it decides at once (the terminal)', async () => {
    const t = await storyEngine();
    open.push(t);
    const terminal: ConversationRef = { platform: 'terminal', workspace: 'local', channel: 'default', dm: true };
    t.backend.push(BEAT);
    await t.send('/story new a brave fox', { conversation: terminal });
    expect((await t.send(' 7 ', { conversation: terminal })).error?.message).toBe('This vote has 3 choices; pick a number from 1 to 3.');
    t.backend.push('The right path climbs into the hills.');
    const picked = await t.send('２', { conversation: terminal });
    expect(picked.text).toBe('The vote is closed: 2. "Take the right path" wins with 1 of 1 vote. Votes: Alice → 2.\n\nThe right path climbs into the hills.');
    expect(t.userMessages().at(-1)).toContain('The players chose: Take the right path.');
    expect((await t.state(conversationKey(terminal))).poll).toBeUndefined();
    await t.tick(120_000);
    expect(t.outbox).toHaveLength(0); // decided once, not again when the window would have closed
  });

  it('the vote stays open until every player has voted, then the last vote decides in its own reply', async () => {
    const { t, opening } = await start();
    await t.as(bob, '/story join');
    await t.as(carol, '/story join');
    expect((await t.as(alice, choiceButton(opening, 1))).text).toMatch(/^Alice votes for 1\. Take the left path\. 1 vote so far/);
    expect((await t.as(bob, choiceButton(opening, 3))).text).toMatch(/^Bob votes for 3\. Wait for nightfall\. 2 votes so far/);
    await t.as(dave, '/story join'); // joins while the vote is open: one more vote to wait for
    expect((await t.as(carol, choiceButton(opening, 3))).text).toMatch(/^Carol votes for 3\. Wait for nightfall\. 3 votes so far/);
    expect(t.backend.calls).toHaveLength(1);
    t.backend.push('Night falls.');
    const last = await t.as(dave, choiceButton(opening, 3));
    expect(last.parts[0]).toMatchObject({ type: 'text' }); // the result and the beat are for everyone, not the voter alone
    expect(last.text).toBe('The vote is closed: 3. "Wait for nightfall" wins with 3 of 4 votes. Votes: Alice → 1; Bob, Carol, Dave → 3.\n\nNight falls.');
    expect(t.userMessages().at(-1)).toContain('The players chose: Wait for nightfall.');
    expect((await t.state()).poll).toBeUndefined();
    await t.tick(120_000);
    expect(t.outbox).toHaveLength(0);
  });
});

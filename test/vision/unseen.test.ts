import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/engine/conversation.js';
import { CANNOT_SEE } from '../../src/engine/images.js';
import { english } from '../../src/i18n/index.js';
import { readState } from '../../src/features/story/state.js';
import { tutorState } from '../../src/features/tutor/state.js';
import { FakeBackend } from '../../src/model/fake.js';
import { bob, channel, makeEngine, type Reply } from '../support/engine.js';
import { BEAT } from '../story/helpers.js';
import { dm, quizModel } from '../tutor/support.js';
import { imageParts, PNG, useVisionEngine } from './support.js';

/** A picture sent with a message a feature's turn hook claims (a vote typed as "2") is not looked at: the sender is told. */
const v = useVisionEngine();

const png = (name = 'dot.png') => ({ name, contentType: 'image/png', data: PNG });
const UNSEEN = english('pictures.unseen');
const notices = (reply: Reply) => reply.parts.flatMap((p) => (p.type === 'notice' ? [p.text] : []));

describe('a picture with a message a turn hook claims', () => {
  it('a vote typed as "2" with a picture: the vote counts, the picture is not kept, and the voter is told Muse did not look', async () => {
    v.fake.enqueue({ kind: 'reply', text: BEAT });
    expect((await v.t.send('/story new a brave fox')).done).toBeTruthy();
    await v.t.send('/story join', { speaker: bob }); // two players: one vote leaves the window open
    const requests = v.fake.chatRequests.length;

    const vote = await v.t.send('2', { attachments: [png()] });
    expect(vote.error).toBeUndefined();
    expect(vote.text).toMatch(/^Alice votes for 2\. Take the right path\./);
    expect(notices(vote)).toEqual([UNSEEN]);
    expect(vote.parts.at(-1)!.type).toBe('done');

    const meta = (await v.t.store.getMeta(conversationKey(channel)))!;
    expect(readState(meta)!.poll!.votes['u-alice']).toMatchObject({ choice: 2 });
    expect(v.fake.chatRequests.length).toBe(requests); // no model call, so no model saw it
    const kept = JSON.stringify({ meta, turns: await v.t.store.getTurns(conversationKey(channel), 0, meta.count) });
    expect(kept).not.toContain(PNG.toString('base64'));
  });

  it('two pictures with a vote: the notice speaks of them both, once', async () => {
    v.fake.enqueue({ kind: 'reply', text: BEAT });
    await v.t.send('/story new a brave fox');
    await v.t.send('/story join', { speaker: bob });
    const vote = await v.t.send('1', { attachments: [png('a.png'), png('b.png')] });
    expect(notices(vote)).toEqual([english('pictures.unseenMany', { n: 2 })]);
  });

  it('a plain turn with a picture to a model that sees: it is shown, and no notice says otherwise', async () => {
    const reply = await v.t.send('What is in this picture?', { attachments: [png()] });
    expect(reply.error).toBeUndefined();
    expect(imageParts(v.fake.chatRequests[0]!.body)).toHaveLength(1);
    expect(notices(reply)).toEqual([]);
  });

  it('a model that cannot see: only its own notice, not a second one', async () => {
    await v.t.send('/model text-1');
    const reply = await v.t.send('What is in this picture?', { attachments: [png()] });
    expect(notices(reply)).toEqual([CANNOT_SEE]);
  });

  it('a player action with a picture while a story is told is a beat: the model sees it, no notice', async () => {
    v.fake.enqueue({ kind: 'reply', text: BEAT });
    await v.t.send('/story new a brave fox vote:0');
    const before = v.fake.chatRequests.length;
    const beat = await v.t.send('I show the fox this map', { attachments: [png('map.png')] });
    expect(beat.error).toBeUndefined();
    expect(imageParts(v.fake.chatRequests[before]!.body)).toHaveLength(1);
    expect(notices(beat)).not.toContain(UNSEEN);
  });

  it('a quiz answer with a picture, to a model that sees: the answer counts, the next question comes, and the learner is told', async () => {
    /** The tutor's fake model, as one that sees images (a vision model). */
    class SeeingFake extends FakeBackend {
      readonly seesImages = true;
    }
    const tutor = await makeEngine({ backend: new SeeingFake({ fallback: quizModel() }) });
    const send = (text: string, more = {}) => tutor.send(text, { conversation: dm, ...more });
    await send('/tutor fractions level:beginner');
    await send('/tutor quiz');
    const calls = tutor.backend.calls.length;
    const answer = await send('3/4', { attachments: [png('working.png')] });
    expect(answer.error).toBeUndefined();
    expect(answer.text).toContain('Question 2 of 3');
    expect(notices(answer)).toEqual([UNSEEN]);
    expect(tutor.backend.calls.length).toBe(calls); // the next question is Muse's own text: no model saw the picture
    expect(tutorState((await tutor.store.getMeta(conversationKey(dm)))!).quiz!.answers).toEqual(['3/4']);
  });
});

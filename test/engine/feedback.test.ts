import { afterEach, describe, expect, it } from 'vitest';
import { ReplyFeedback } from '../../src/engine/feedback.js';
import { openCoordination } from '../../src/memory/coordination.js';
import { openStore } from '../../src/memory/open-store.js';
import type { ConversationStore } from '../../src/memory/types.js';

let store: ConversationStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('feedback on replies', () => {
  it('keeps one vote per reply and person, at most maxVotes per conversation (the oldest goes, record and all), and forgets them all', async () => {
    store = await openStore('memory://');
    const feedback = new ReplyFeedback(store, openCoordination(store).records, 2);
    await feedback.record('c1', 'm1', 'U1', 'good');
    await feedback.record('c1', 'm1', 'U1', 'bad'); // a changed vote is still one
    await feedback.record('c1', 'm2', 'U1', 'good');
    await feedback.record('c2', 'm1', 'U1', 'good');
    expect(await feedback.get('c1', 'm1', 'U1')).toMatchObject({ vote: 'bad' });
    await feedback.record('c1', 'm3', 'U2', 'good');
    expect(await feedback.get('c1', 'm1', 'U1')).toBeUndefined();
    expect(await feedback.get('c1', 'm2', 'U1')).toMatchObject({ vote: 'good' });

    // Two clicks at once (two processes) both stay forgettable.
    await Promise.all([feedback.record('c3', 'm1', 'U1', 'good'), feedback.record('c3', 'm1', 'U2', 'bad')]);
    await feedback.forget('c3');
    expect(await feedback.get('c3', 'm1', 'U1')).toBeUndefined();
    expect(await feedback.get('c3', 'm1', 'U2')).toBeUndefined();

    await feedback.forget('c1');
    expect(await feedback.get('c1', 'm2', 'U1')).toBeUndefined();
    expect(await feedback.get('c1', 'm3', 'U2')).toBeUndefined();
    expect(await feedback.get('c2', 'm1', 'U1')).toMatchObject({ vote: 'good' });
  });
});

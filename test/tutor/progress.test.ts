import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/memory/open-store.js';
import { FakeBackend } from '../../src/model/fake.js';
import { learnerKey } from '../../src/features/tutor/learner.js';
import { FakeClock } from '../support/fake-clock.js';
import { alice, bob, channel, makeEngine } from '../support/engine.js';
import { dm, quizModel } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'muse-tutor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function takeQuiz(send: (text: string) => Promise<{ text: string }>) {
  await send('/tutor fractions level:beginner');
  await send('/tutor quiz');
  for (const answer of ['3/4', '1/2']) await send(answer);
  return send('3/5');
}

describe('tutor progress', () => {
  it('survives a restart (SQLite): quiz scores with dates and what to review next', async () => {
    const url = `sqlite://${join(dir, 'progress.sqlite')}`;
    const clock = new FakeClock(Date.UTC(2026, 2, 14, 10));
    const store = await openStore(url);
    const first = await makeEngine({ store, clock, backend: new FakeBackend({ fallback: quizModel() }) });
    expect((await takeQuiz((text) => first.send(text, { conversation: dm }))).text).toMatch(/4\/6/);
    first.engine.close();
    await first.engine.idle();
    await store.close();

    const reopened = await openStore(url);
    try {
      const second = await makeEngine({ store: reopened, clock, backend: new FakeBackend() });
      const progress = await second.send('/tutor progress', { conversation: dm });
      expect(progress.text).toContain('Tutoring progress for Alice');
      expect(progress.text).toContain('- fractions: beginner, 1 session, last 2026-03-14');
      expect(progress.text).toContain('- 2026-03-14 fractions (beginner): 4/6 (67%)');
      expect(progress.text).toContain('Review next:\n- comparing fractions (fractions, 0%): Compare with a common denominator: 10/15 > 9/15.');
      expect(second.backend.calls).toHaveLength(0);
      second.engine.close();
    } finally {
      await reopened.close();
    }
  });

  it("learners never see each other's progress, and progress follows a learner from a channel to DMs", async () => {
    const t = await makeEngine({ backend: new FakeBackend({ fallback: quizModel() }) });
    // Alice studies in the shared channel, Bob in his DM, both in workspace w1.
    await takeQuiz((text) => t.send(text, { conversation: channel, speaker: alice }));
    const bobDm = { ...channel, channel: 'dm-bob', dm: true };
    await t.send('/tutor chemistry level:advanced', { conversation: bobDm, speaker: bob });

    const aliceInDm = await t.send('/tutor progress', { conversation: dm, speaker: alice });
    expect(aliceInDm.text).toContain('fractions (beginner): 4/6');
    expect(aliceInDm.text).not.toContain('chemistry');

    const bobInChannel = await t.send('/tutor progress', { conversation: channel, speaker: bob });
    expect(bobInChannel.text).toContain('Tutoring progress for Bob');
    expect(bobInChannel.text).toContain('chemistry: advanced');
    expect(bobInChannel.text).not.toMatch(/fractions|4\/6|Alice/);
    expect(bobInChannel.parts[0]).toMatchObject({ type: 'message', ephemeral: true }); // a shared channel: only Bob sees it

    const carol = await t.send('/tutor progress', { conversation: channel, speaker: { id: 'u-carol', name: 'Carol' } });
    expect(carol.text).toBe('Carol, you have no tutoring progress yet. Start a session with /tutor <subject>, then try /tutor quiz.');

    // Another workspace is another record.
    const elsewhere = await t.send('/tutor progress', { conversation: { ...dm, workspace: 'w2' }, speaker: alice });
    expect(elsewhere.text).toMatch(/no tutoring progress yet/);
  });

  it('keys learners by platform, workspace and user, never by conversation (Discord DMs share the learner with servers)', () => {
    const key = learnerKey({ platform: 'slack', workspace: 'T1', channel: 'C1' }, 'U1');
    expect(key).toBe('tutor:learner:slack:T1:U1');
    expect(learnerKey({ platform: 'slack', workspace: 'T1', channel: 'D9', dm: true }, 'U1')).toBe(key);
    expect(learnerKey({ platform: 'slack', workspace: 'T1', channel: 'C1' }, 'U2')).not.toBe(key);
    expect(learnerKey({ platform: 'discord', workspace: '1234', channel: '55' }, '9')).toBe(
      learnerKey({ platform: 'discord', workspace: '@me', channel: '77', dm: true }, '9'),
    );
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIModerator } from '../../src/model/moderation-openai.js';
import type { DecisionKind, DecisionLabels } from '../../src/safety/decisions.js';
import { allowAll, CATEGORIES, ModerationUnavailableError, normalizeCategory, type Category } from '../../src/safety/moderation.js';
import { blockedSentence, blockingCategories, decide, failPolicy, moderate, plainCategory } from '../../src/safety/policy.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';

const flagged = (...categories: Category[]) => ({ flagged: true, categories });
const down = new ModerationUnavailableError('failed', 'down');

describe('blocking categories', () => {
  it('mature blocks exactly sexual/minors, self-harm/instructions, hate/threatening, illicit/violent', () => {
    expect(blockingCategories('mature').sort()).toEqual(['hate/threatening', 'illicit/violent', 'self-harm/instructions', 'sexual/minors']);
  });

  it('all-ages blocks sexual, graphic violence, all self-harm, hate and harassment, and all that mature blocks', () => {
    expect(blockingCategories('all-ages').sort()).toEqual(
      [
        'harassment',
        'harassment/threatening',
        'hate',
        'hate/threatening',
        'illicit/violent',
        'self-harm',
        'self-harm/instructions',
        'self-harm/intent',
        'sexual',
        'sexual/minors',
        'violence/graphic',
      ].sort(),
    );
    for (const c of blockingCategories('mature')) expect(blockingCategories('all-ages')).toContain(c);
  });

  it('lets plain violence and illicit through at both ratings (stories have battles and heists)', () => {
    for (const rating of ['all-ages', 'mature'] as const) {
      expect(decide(flagged('violence', 'illicit'), { rating, stage: 'output' })).toMatchObject({ action: 'allow', reason: 'flagged', category: 'illicit' });
    }
  });
});

describe('decide', () => {
  it('blocks at all-ages what mature allows, naming the most serious category', () => {
    expect(decide(flagged('violence', 'violence/graphic'), { rating: 'all-ages', stage: 'input' })).toEqual({
      action: 'block',
      reason: 'flagged',
      category: 'violence/graphic',
      stage: 'input',
      rating: 'all-ages',
    });
    expect(decide(flagged('violence/graphic'), { rating: 'mature', stage: 'input' })).toMatchObject({ action: 'allow', reason: 'flagged' });
    expect(decide(flagged('harassment', 'sexual/minors', 'sexual'), { rating: 'mature', stage: 'output' })).toMatchObject({
      action: 'block',
      category: 'sexual/minors',
    });
    expect(decide(flagged('self-harm/intent'), { rating: 'all-ages', stage: 'input' })).toMatchObject({ action: 'block', category: 'self-harm/intent' });
  });

  it('allows a clean verdict', () => {
    expect(decide({ flagged: false, categories: [] }, { rating: 'all-ages', stage: 'input' })).toMatchObject({ action: 'allow', reason: 'clean' });
  });

  it('fails closed in all-ages and open in mature, unless MUSE_MODERATION_FAIL overrides both', () => {
    expect(failPolicy('all-ages')).toBe('closed');
    expect(failPolicy('mature')).toBe('open');
    expect(decide(down, { rating: 'all-ages', stage: 'input' })).toMatchObject({ action: 'block', reason: 'unavailable' });
    expect(decide(down, { rating: 'mature', stage: 'input' })).toMatchObject({ action: 'allow', reason: 'unavailable' });
    expect(decide(down, { rating: 'all-ages', stage: 'input', fail: 'open' })).toMatchObject({ action: 'allow' });
    expect(decide(down, { rating: 'mature', stage: 'output', fail: 'closed' })).toMatchObject({ action: 'block' });
  });
});

describe('sentences', () => {
  it('name the category in plain words, one sentence, no internals', () => {
    expect(blockedSentence({ reason: 'flagged', category: 'violence/graphic', stage: 'input' })).toBe(
      "That message wasn't sent to the model: it seems to involve graphic violence, which isn't allowed here.",
    );
    expect(blockedSentence({ reason: 'flagged', category: 'hate', stage: 'output' })).toBe(
      "Muse's reply was withheld: it seemed to involve hateful content, which isn't allowed here.",
    );
    expect(blockedSentence({ reason: 'unavailable', stage: 'input' })).toMatch(/^Muse couldn't check that message just now/);
    for (const c of CATEGORIES) {
      const sentence = blockedSentence({ reason: 'flagged', category: c, stage: 'input' });
      expect(sentence).not.toMatch(/[/_]/);
      expect(sentence.match(/[.!?](\s|$)/g)).toHaveLength(1);
      expect(plainCategory(c)).toMatch(/^[a-z -]+$/);
    }
  });
});

describe('normalizeCategory', () => {
  it('accepts other spellings of our names and nothing else', () => {
    expect(normalizeCategory('self_harm/intent')).toBe('self-harm/intent');
    expect(normalizeCategory('HATE_THREATENING')).toBe('hate/threatening');
    expect(normalizeCategory('violent')).toBeUndefined();
    for (const c of CATEGORIES) expect(normalizeCategory(c)).toBe(c);
  });
});

describe('moderate, with the OpenAI moderator against the fake endpoint', () => {
  let fake: FakeOpenAI;
  const counted: Array<[DecisionKind, DecisionLabels]> = [];
  const hooks = { onDecision: (kind: DecisionKind, labels: DecisionLabels) => void counted.push([kind, labels]) };
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  beforeEach(() => {
    fake.reset();
    fake.moderation.flag('gore', ['violence', 'violence/graphic']);
  });
  afterAll(async () => {
    await fake.close();
  });

  it('blocks flagged input in all-ages, allows it in mature, and counts both flags', async () => {
    const moderator = createOpenAIModerator({ baseURL: fake.url, retryBaseMs: 1 });
    const allAges = await moderate(moderator, 'so much gore', { rating: 'all-ages', stage: 'input', hooks });
    expect(allAges).toMatchObject({ action: 'block', category: 'violence/graphic' });
    const mature = await moderate(moderator, 'so much gore', { rating: 'mature', stage: 'output', hooks });
    expect(mature).toMatchObject({ action: 'allow', reason: 'flagged' });
    expect(await moderate(moderator, 'a calm sea', { rating: 'all-ages', stage: 'input', hooks })).toMatchObject({ action: 'allow', reason: 'clean' });
    expect(counted.splice(0)).toEqual([
      ['flagged_input', { stage: 'input', rating: 'all-ages', action: 'block', category: 'violence/graphic' }],
      ['flagged_output', { stage: 'output', rating: 'mature', action: 'allow', category: 'violence/graphic' }],
    ]);
  });

  it('applies the fail policy when the endpoint is down, and counts it', async () => {
    const moderator = createOpenAIModerator({ baseURL: fake.url, retryBaseMs: 1, maxRetries: 0 });
    fake.moderation.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 });
    const closed = await moderate(moderator, 'text', { rating: 'all-ages', stage: 'output', hooks });
    expect(closed).toMatchObject({ action: 'block', reason: 'unavailable' });
    expect(closed.error).toBeInstanceOf(ModerationUnavailableError);
    expect(await moderate(moderator, 'text', { rating: 'mature', stage: 'output', hooks })).toMatchObject({ action: 'allow', reason: 'unavailable' });
    expect(counted.splice(0).map(([kind, labels]) => [kind, labels.action])).toEqual([
      ['moderation_unavailable', 'block'],
      ['moderation_unavailable', 'allow'],
    ]);
  });

  it('rethrows a cancelled check without counting it', async () => {
    fake.moderation.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = moderate(createOpenAIModerator({ baseURL: fake.url }), 'text', { rating: 'all-ages', stage: 'input', hooks, signal: controller.signal });
    await fake.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
    expect(counted).toEqual([]);
  });

  it('the off moderator allows everything and counts nothing', async () => {
    expect(await moderate(allowAll, 'so much gore', { rating: 'all-ages', stage: 'input', hooks })).toMatchObject({ action: 'allow', reason: 'clean' });
    expect(counted).toEqual([]);
  });

  it('a hook that throws does not break the decision', async () => {
    const moderator = createOpenAIModerator({ baseURL: fake.url });
    const throwing = {
      onDecision: () => {
        throw new Error('metrics down');
      },
    };
    expect(await moderate(moderator, 'gore', { rating: 'all-ages', stage: 'input', hooks: throwing })).toMatchObject({ action: 'block', reason: 'flagged' });
  });
});

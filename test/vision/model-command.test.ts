import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigError } from '../../src/config/config.js';
import { findModelName } from '../../src/config/model-names.js';
import { alice, bob } from '../support/engine.js';
import { useVisionEngine } from './support.js';

const v = useVisionEngine();

const modelOf = (i: number) => v.fake.chatRequests[i]!.body.model as string;
const shared = { canManage: () => false, speaker: bob };

describe('/model: a model per conversation', () => {
  it('lists the models to anyone, privately, with the one in use here marked', async () => {
    const listed = await v.t.send('/model', shared);
    expect(listed.text).toBe('Models (▸ is in use here):\n▸ openai:eye-1 (sees images)\n• openai:text-1\nSwitch with /model <name>.');
    expect(listed.parts.find((p) => p.type === 'message')).toMatchObject({ ephemeral: true });
  });

  it("switches this conversation's model: the next request names it, and the memory is the same", async () => {
    await v.t.send('I light the lantern');
    expect(modelOf(0)).toBe('eye-1');
    expect((await v.t.send('/model openai:text-1')).text).toBe(
      'Muse answers with openai:text-1 here from the next reply on; what it remembers of this conversation is unchanged.',
    );
    await v.t.send('I open the door');
    expect(modelOf(1)).toBe('text-1');
    // The earlier turns reach the new model as they reached the old one.
    const history = (v.fake.chatRequests[1]!.body.messages as Array<{ content: string }>).map((m) => m.content);
    expect(history).toContain('Alice: I light the lantern');
    expect(history.at(-1)).toBe('Alice: I open the door');
    expect((await v.t.send('/model')).text).toContain('• openai:eye-1 (sees images)\n▸ openai:text-1');
    expect((await v.t.send('/memory show')).text).toContain('Model: openai:text-1');
    // A new story keeps the conversation's model.
    await v.t.send('/story new a fox vote:0');
    expect(modelOf(2)).toBe('text-1');
    // The part after openai: alone is enough when it names one model.
    await v.t.send('/model eye-1');
    await v.t.send('Onwards');
    expect(modelOf(3)).toBe('eye-1');
  });

  it('only a manager switches in a shared channel; an unknown name gets the list', async () => {
    expect((await v.t.send('/model text-1', shared)).error).toMatchObject({
      code: 'forbidden',
      message: 'Only people who can manage this channel may switch the model here. Type /model to see the models.',
    });
    expect((await v.t.send('/model gpt-5', { speaker: alice })).error?.message).toBe(
      'There is no model "gpt-5" to switch to; the models here are openai:eye-1, openai:text-1.',
    );
    await v.t.send('Hello');
    expect(modelOf(0)).toBe('eye-1');
    // In a DM the speaker manages their own conversation.
    const dm = { conversation: { platform: 'test', workspace: 'w1', channel: 'd-bob', dm: true }, speaker: bob, canManage: () => false };
    expect((await v.t.send('/model text-1', dm)).error).toBeUndefined();
    await v.t.send('Hi', dm);
    expect(modelOf(1)).toBe('text-1');
  });
});

describe('MUSE_MODELS and MUSE_VISION_MODELS', () => {
  it('puts MUSE_MODEL first, once, and reads a name as written or by the part after openai:', () => {
    const config = loadConfig({ MUSE_MODEL: 'openai:a', MUSE_MODELS: ' openai:b , local:/m/x.gguf,openai:a', OPENAI_API_KEY: 'k' });
    expect(config.MUSE_MODELS).toEqual(['openai:b', 'local:/m/x.gguf', 'openai:a']);
    const names = ['openai:a', 'openai:b', 'local:/m/x.gguf'];
    expect(findModelName(names, 'b')).toBe('openai:b');
    expect(findModelName(names, 'local:/m/x.gguf')).toBe('local:/m/x.gguf');
    expect(findModelName(names, 'x.gguf')).toBeUndefined();
  });

  it('refuses a malformed list, and a vision model that is not on it, in one sentence each', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ MUSE_MODELS: 'gpt-4o,openai:b', OPENAI_API_KEY: 'k' })).toEqual([
      'MUSE_MODELS: must be comma-separated models, each openai:<model>, local:<path.gguf> or fake',
    ]);
    expect(problems({ MUSE_MODEL: 'fake', MUSE_MODELS: 'openai:b', OPENAI_API_KEY: 'k', MUSE_VISION_MODELS: 'c' })).toEqual([
      'MUSE_VISION_MODELS: names a model that is not in MUSE_MODELS (or MUSE_MODEL); write each name as it is written there',
    ]);
    expect(problems({ MUSE_MODEL: 'fake', MUSE_MODELS: 'openai:b' })[0]).toMatch(/^OPENAI_API_KEY: is needed for the openai:… models of MUSE_MODELS/);
  });
});

import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { FakeBackend } from '../../src/model/fake.js';
import { chooseModeration, createModerator } from '../../src/model/moderation-choose.js';

describe('chooseModeration', () => {
  it('defaults to openai only when OPENAI_API_KEY is set and OPENAI_BASE_URL is not, whatever the model', () => {
    expect(chooseModeration(loadConfig({ OPENAI_API_KEY: 'sk-x' }))).toMatchObject({ mode: 'openai' });
    expect(chooseModeration(loadConfig({ OPENAI_API_KEY: 'sk-x', MUSE_MODEL: 'local:/m.gguf' }))).toMatchObject({ mode: 'openai' });
    expect(chooseModeration(loadConfig({ OPENAI_API_KEY: 'sk-x', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }))).toMatchObject({ mode: 'off' });
    expect(chooseModeration(loadConfig({}))).toEqual({ mode: 'off', reason: 'MUSE_MODERATION is unset and OPENAI_API_KEY is not set' });
  });

  it('follows MUSE_MODERATION and says so', () => {
    expect(chooseModeration(loadConfig({ MUSE_MODERATION: 'off', OPENAI_API_KEY: 'sk-x' }))).toEqual({ mode: 'off', reason: 'MUSE_MODERATION=off' });
    expect(chooseModeration(loadConfig({ MUSE_MODERATION: 'model' }))).toMatchObject({ mode: 'model' });
    expect(chooseModeration(loadConfig({ MUSE_MODERATION: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }))).toMatchObject({ mode: 'openai' });
  });

  it('refuses MUSE_MODERATION=openai with neither a key nor a server, and bad values, in one message', () => {
    expect(() => loadConfig({ MUSE_MODERATION: 'openai' })).toThrow(/OPENAI_API_KEY: is needed for MUSE_MODERATION=openai/);
    expect(() => loadConfig({ MUSE_MODERATION: 'yes', MUSE_MODERATION_FAIL: 'maybe' })).toThrow(
      /MUSE_MODERATION: must be openai, model or off\n- MUSE_MODERATION_FAIL: must be closed or open/,
    );
  });

  it('creates the chosen moderator', async () => {
    expect(createModerator(loadConfig({})).kind).toBe('off');
    expect(createModerator(loadConfig({ OPENAI_API_KEY: 'sk-x' })).kind).toBe('openai');
    const backend = new FakeBackend().push('unsafe\nS2');
    const model = createModerator(loadConfig({ MUSE_MODERATION: 'model' }), { backend });
    expect(model.kind).toBe('model');
    expect(await model.check('text')).toEqual({ flagged: true, categories: ['sexual/minors'] });
    expect(() => createModerator(loadConfig({ MUSE_MODERATION: 'model' }))).toThrow(/needs the model backend/);
  });
});

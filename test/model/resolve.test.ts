import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { LocalBackend } from '../../src/model/local.js';
import { chooseBackend } from '../../src/model/resolve.js';
import { generateText } from '../../src/model/types.js';
import { TINY_MODEL } from '../support/models.js';

describe('chooseBackend', () => {
  it("local:<path> gives one prepared backend on the app's own runtime; close() disposes the model", async () => {
    const choice = chooseBackend(loadConfig({ MUSE_MODEL: `local:${TINY_MODEL}`, MUSE_THREADS: '1' }), pino({ level: 'silent' }));
    expect(choice.describe).toBe(`local:${TINY_MODEL}`);
    const [backend, again] = (await Promise.all([choice.get(), choice.get()])) as [LocalBackend, LocalBackend];
    expect(again).toBe(backend);
    expect(backend.loaded).toBe(true);
    const { text } = await generateText(backend, { messages: [{ role: 'user', content: 'A story.' }], temperature: 0, maxOutputTokens: 5 });
    expect(text.startsWith('Once upon a time')).toBe(true);
    const model = backend.model!;
    await choice.close();
    expect(model.disposed).toBe(true);
    await expect(generateText(backend, { messages: [{ role: 'user', content: 'More.' }] })).rejects.toMatchObject({ kind: 'unavailable' });
  });
});

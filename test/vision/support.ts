import { pino } from 'pino';
import { modelWiring, type ModelWiring } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createModelCatalog, type ModelCatalog } from '../../src/model/catalog.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { makeEngine, type TestEngine } from '../support/engine.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';

/** A 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
/** The first bytes of a JPEG (SOI, JFIF APP0), enough for its type to be known by them. */
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

/**
 * The app's models against the fake OpenAI: `openai:eye-1` (the default, sees images) and
 * `openai:text-1` (cannot see), wired into the engine as createApp wires them.
 */
export function visionModels(fake: FakeOpenAI): { catalog: ModelCatalog; models: ModelWiring } {
  const config = loadConfig({
    MUSE_MODEL: 'openai:eye-1',
    MUSE_MODELS: 'openai:text-1',
    MUSE_VISION_MODELS: 'eye-1',
    OPENAI_BASE_URL: fake.url,
  });
  const catalog = createModelCatalog(config, pino({ level: 'silent' }));
  return { catalog, models: modelWiring(catalog) };
}

/** The content parts of a recorded chat request's last message (a string content is one text part). */
export function lastContent(body: { messages: Array<{ content: unknown }> }): Array<{ type: string; text?: string; image_url?: { url: string } }> {
  const content = body.messages.at(-1)!.content;
  return typeof content === 'string' ? [{ type: 'text', text: content }] : (content as Array<{ type: string }>);
}

/** Every image part anywhere in a recorded chat request. */
export function imageParts(body: { messages: Array<{ content: unknown }> }): Array<{ image_url: { url: string } }> {
  return body.messages
    .flatMap((m) => (Array.isArray(m.content) ? (m.content as Array<{ type: string; image_url: { url: string } }>) : []))
    .filter((p) => p.type === 'image_url');
}

/**
 * The fake OpenAI server for the file's tests and, before each test, a fresh engine on
 * visionModels (registers the hooks): `const v = useVisionEngine()`, then `v.t`, `v.fake`.
 */
export function useVisionEngine(): { readonly fake: FakeOpenAI; readonly t: TestEngine } {
  let fake: FakeOpenAI | undefined;
  let t: TestEngine | undefined;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await close?.();
    await fake?.close();
  });
  beforeEach(async () => {
    fake!.reset();
    await close?.();
    const { catalog, models } = visionModels(fake!);
    t = await makeEngine({ models });
    close = () => catalog.close();
  });
  return {
    get fake() {
      return fake!;
    },
    get t() {
      return t!;
    },
  };
}

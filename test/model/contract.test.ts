import { afterAll, beforeAll, describe } from 'vitest';
import { FakeBackend } from '../../src/model/fake.js';
import { createLocalBackend, LocalRuntime } from '../../src/model/local.js';
import { createOpenAIBackend } from '../../src/model/openai.js';
import { DEFAULT_STORY, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { TINY_MODEL } from '../support/models.js';
import { modelBackendContract } from './contract.js';

/** The one backend contract (contract.ts), run on each backend. */

describe('model backend contract: openai (the SDK against the fake OpenAI server)', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
  });
  modelBackendContract(() => {
    fake.reset();
    return {
      backend: createOpenAIBackend({ model: 'story-model', apiKey: 'sk-test-contract', baseURL: fake.url, retryBaseMs: 1 }),
      slow: (request) => {
        fake.enqueue({ kind: 'reply', text: DEFAULT_STORY, delayMs: 50 }); // ~33 words, 50 ms apart
        return request;
      },
    };
  });
});

describe('model backend contract: local (node-llama-cpp on the tiny model, 1 thread)', () => {
  let runtime: LocalRuntime;
  beforeAll(() => {
    runtime = new LocalRuntime();
  });
  afterAll(async () => {
    await runtime.close();
  });
  modelBackendContract(() => ({
    // A new backend each time, on one runtime: the model is loaded once for the file.
    backend: createLocalBackend({ runtime, modelPath: TINY_MODEL, threads: 1 }),
    // Hundreds of tokens: a fresh greedy story that the tiny model does not end early.
    slow: (request) => ({ ...request, maxOutputTokens: 400 }),
  }));
});

describe('model backend contract: fake (src/model/fake.ts)', () => {
  const story = DEFAULT_STORY;
  modelBackendContract(() => {
    const backend = new FakeBackend({ fallback: story });
    return {
      backend,
      slow: (request) => {
        backend.push({ parts: story.split(/(?<= )/), delayMs: 50 });
        return request;
      },
    };
  });
});

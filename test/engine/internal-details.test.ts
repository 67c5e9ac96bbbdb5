import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/app.js';
import type { EngineLogger } from '../../src/engine/engine.js';
import { openCoordination, type Coordination } from '../../src/memory/coordination.js';
import { openStore } from '../../src/memory/open-store.js';
import { STORE_UNAVAILABLE, StoreUnavailableError, type ConversationStore } from '../../src/memory/types.js';
import { FakeBackend } from '../../src/model/fake.js';
import { createLocalBackend, LocalRuntime } from '../../src/model/local.js';
import { createOpenAIBackend } from '../../src/model/openai.js';
import type { ModelBackend } from '../../src/model/types.js';
import { PersonaRegistry } from '../../src/personas/registry.js';
import type { PersonaLoadError } from '../../src/personas/schema.js';
import { alice, channel, collect, PERSONAS_DIR } from '../support/engine.js';

/**
 * Users get one sentence; hosts, ports, file paths, parser messages and stacks go to the log.
 * Each case runs a real failure through the engine as production builds it and checks both:
 * the sentence the user reads, and that the detail reached the log instead.
 */
function capture(): EngineLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (obj: object, msg?: string) => lines.push(`${msg ?? ''} ${JSON.stringify(obj, errorFields)}`);
  return { lines, error: keep, warn: keep, debug: keep };
}

/** Errors as the log would show them: message, own fields (detail), cause. */
function errorFields(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return { ...value, message: value.message, ...(value.cause !== undefined ? { cause: value.cause } : {}) };
}

async function engineWith(opts: { backend?: ModelBackend; store?: ConversationStore; coordination?: Coordination; personas?: PersonaRegistry }) {
  const log = capture();
  const engine = createEngine({
    store: opts.store ?? (await openStore('memory://')),
    ...(opts.coordination ? { coordination: opts.coordination } : {}),
    backend: async () => opts.backend ?? new FakeBackend(),
    personas: opts.personas ?? new PersonaRegistry([PERSONAS_DIR]),
    logger: log,
  });
  // Alice manages the channel: these tests are about what a refusal says, not who may ask.
  const send = (text: string) => collect(engine.handle({ conversation: channel, speaker: alice, text, canManage: () => true }));
  return { engine, log, send };
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('no internal details to users', () => {
  it('a model server that cannot be reached: a sentence without its address, which goes to the log', async () => {
    const port = await closedPort();
    const backend = createOpenAIBackend({ model: 'm', apiKey: 'sk-test-key', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const { send, log } = await engineWith({ backend });
    const reply = await send('Hello?');
    expect(reply.error?.message).toBe('Muse could not reach the model server; the address it tried is in the log.');
    expect(reply.error?.message).not.toContain(String(port));
    expect(log.lines.join('\n')).toContain(`model server 127.0.0.1:${port}`);
  });

  it('a local model file that is missing: a sentence without its path, which goes to the log', async () => {
    const missing = join(tmpdir(), 'muse-secret-models', 'gone.gguf');
    const runtime = new LocalRuntime();
    const { send, log } = await engineWith({ backend: createLocalBackend({ runtime, modelPath: missing, threads: 1 }) });
    const reply = await send('Hello?');
    await runtime.close();
    expect(reply.error?.message).toBe('The local model file does not exist; check MUSE_MODEL (the path is in the log).');
    expect(reply.error?.message).not.toContain('muse-secret-models');
    expect(log.lines.join('\n')).toContain(missing);
  });

  it('a store that fails with its own, operator-facing message (an SQLite file): users read the store sentence, never the path', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'muse-store-')), 'not-a-folder');
    writeFileSync(blocker, 'a file where the store wants a folder');
    const opened = await openStore(`sqlite://${blocker}/muse.sqlite`).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(opened).toBeInstanceOf(StoreUnavailableError);
    expect((opened as Error).message).toContain(blocker); // the operator's start-up sentence names it
    const memory = await openStore('memory://');
    const failing: ConversationStore = Object.assign(Object.create(memory) as ConversationStore, {
      getMeta: () => Promise.reject(opened as Error),
    });
    const { send, log } = await engineWith({ store: failing, coordination: openCoordination(memory) });
    const reply = await send('Hello?');
    expect(reply.error).toMatchObject({ code: 'store', message: STORE_UNAVAILABLE });
    expect(log.lines.join('\n')).toContain(blocker);
  });

  it('a broken persona file: /persona list and /persona use name the file and the field, never its folder or the YAML parser', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'muse-personas-'));
    cpSync(PERSONAS_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'tangled.md'), '---\nname: [tangled\ndescription: x\n---\nPrompt.\n');
    writeFileSync(join(dir, 'hot.md'), '---\nname: hot\ndescription: x\nmode: chat\ntemperature: 7\nmax_output_tokens: 100\ngreeting: hi\n---\nPrompt.\n');
    const skipped: PersonaLoadError[] = [];
    const personas = new PersonaRegistry([dir], { recheckMs: 0, onError: (e) => skipped.push(e) });
    const { send } = await engineWith({ personas });
    const shown = [
      (await send('/persona list')).text,
      (await send('/persona use tangled')).error?.message ?? '',
      (await send('/persona show storyteller')).text,
    ];
    expect(shown[0]).toContain('✗ tangled.md could not be loaded: front matter is not valid YAML');
    expect(shown[0]).toMatch(/✗ hot\.md could not be loaded: temperature: .*2/);
    expect(shown[1]).toBe('The persona "tangled" could not be loaded (tangled.md: front matter is not valid YAML).');
    expect(shown[2]).toContain('built in');
    for (const text of shown) {
      expect(text).not.toContain(dir);
      expect(text).not.toContain(relative(process.cwd(), dir));
      expect(text).not.toMatch(/at line \d|flow (sequence|collection)/i);
    }
    // The parser's own words are kept for the log.
    expect(skipped.find((e) => e.file.endsWith('tangled.md'))?.detail).toMatch(/line \d/);
  });

  it("a file that is not valid JSON: the import's sentence has no parser message, the log has it", async () => {
    const { engine, log } = await engineWith({});
    const reply = await collect(
      engine.handle({
        conversation: channel,
        speaker: alice,
        text: '/lore import',
        attachments: [{ name: 'w.json', data: Buffer.from('{"entries": {') }],
        canManage: () => true,
      }),
    );
    expect(reply.error?.message).toBe('Could not import w.json: it is not valid JSON; nothing was imported.');
    expect(log.lines.join('\n')).toMatch(/JSON/);
    expect(log.lines.some((l) => l.includes('position') || l.includes('Unexpected') || l.includes('Expected'))).toBe(true);
  });
});

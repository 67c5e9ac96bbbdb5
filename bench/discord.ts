/**
 * Discord adapter speed, through the real discord.js client and the loopback fake Discord:
 *  - discord_ack_p99_ms: from INTERACTION_CREATE leaving the fake gateway to the deferral
 *    callback arriving at the fake REST API, p99 of 200 interactions dispatched at once
 *    (target < 500 ms; Discord gives up at 3 s);
 *  - discord_first_edit_ms: from the model's first token to the first visible edit of the reply,
 *    with the default 1 s edit throttle (target ≤ 1.2 s); median of 5 replies.
 */
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { startDiscord } from '../src/adapters/discord/start.js';
import { benchEngineWith, percentile, round1, sortNumbers, TimedBackend } from './support.js';
import { FakeDiscord } from '../test/support/fake-discord.js';

export async function benchDiscord(): Promise<{ discord_ack_p99_ms: number; discord_first_edit_ms: number }> {
  const fake = await FakeDiscord.start();
  const backend = new TimedBackend('A short reply.');
  const { engine, store } = await benchEngineWith(backend);
  const discord = await startDiscord({ engine, token: fake.token, apiUrl: fake.apiUrl, log: pino({ level: 'silent' }) });
  try {
    // Warm up (a running bot has loaded its code paths), then acknowledgement under a burst.
    for (let i = 0; i < 5; i++) {
      const { token } = fake.slash({ name: 'help' });
      await fake.waitForRequest((r) => r.path.endsWith(`/${token}/callback`));
    }
    await discord.idle();
    const sentAt = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      const { token } = fake.slash({ name: 'help' });
      sentAt.set(token, t);
    }
    const acks = await fake.until(() => {
      const done = fake.requests.filter((r) => r.path.endsWith('/callback') && sentAt.has(r.path.split('/')[3]!));
      return done.length >= 200 ? done : undefined;
    }, 60_000);
    const p99 = percentile(sortNumbers(acks.map((r) => r.at - sentAt.get(r.path.split('/')[3]!)!)), 99);
    await discord.idle();

    // First visible edit after the first token, default throttle.
    const firstEdits: number[] = [];
    for (let i = 0; i < 5; i++) {
      backend.reset();
      backend.fake.push({ parts: ['The ', 'lantern ', 'flickers ', 'in ', 'the ', 'wind.'], delayMs: 150 });
      const { token } = fake.slash({ name: 'poem', options: { topic: 'a lantern' } });
      const edit = await fake.waitForRequest(
        (r) => r.method === 'PATCH' && r.path.includes(`/${token}/messages/`) && /\S/.test((r.body as { content?: string } | undefined)?.content ?? ''),
        30_000,
      );
      firstEdits.push(edit.at - backend.firstToken!);
      await discord.idle();
    }
    return { discord_ack_p99_ms: round1(p99), discord_first_edit_ms: round1(percentile(sortNumbers(firstEdits), 50)) };
  } finally {
    await discord.stop();
    await engine.idle();
    await store.close();
    await fake.close();
  }
}

/**
 * Slack adapter speed, through the real Bolt app over HTTP and the loopback fake Slack:
 *  - slack_ack_p99_ms: HTTP acknowledgement time, p99 of 200 signed DM events sent at once from
 *    a worker thread (each one a full turn; target < 300 ms; Slack gives up at 3 s);
 *  - slack_first_text_ms: from the model's first token to the first visible text at the fake
 *    Slack, with the default 1 s edit throttle (target ≤ 1.2 s); median of 5 replies.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { benchEngineWith, percentile, round1, sortNumbers, TimedBackend } from './support.js';
import { startSlack } from '../src/adapters/slack/start.js';
import { FakeSlack, SlackSender } from '../test/support/fake-slack.js';

const SECRET = 'bench-secret';

export async function benchSlack(): Promise<{ slack_ack_p99_ms: number; slack_first_text_ms: number }> {
  const slack = await new FakeSlack().start();
  slack.users.set('UALICE', { name: 'Alice' });
  const backend = new TimedBackend('A short reply.');
  const { engine, store } = await benchEngineWith(backend);
  const bolt = await startSlack({ engine, botToken: 'xoxb-bench', signingSecret: SECRET, apiUrl: slack.url, port: 0, log: pino({ level: 'silent' }) });
  const sender = new SlackSender(`http://127.0.0.1:${bolt.port}/slack/events`, SECRET, slack.teamId);
  try {
    // Warm up (first request compiles code paths).
    await sender.event({ type: 'message', channel: 'DWARM', channel_type: 'im', user: 'UALICE', text: 'hi', ts: slack.nextTs() });
    await bolt.idle();

    const events = Array.from({ length: 200 }, (_, i) => ({
      type: 'message',
      channel: `DACK${i}`,
      channel_type: 'im',
      user: 'UALICE',
      text: `hello ${i}`,
      ts: slack.nextTs(),
    }));
    const times = await burst(`http://127.0.0.1:${bolt.port}/slack/events`, SECRET, slack.teamId, events);
    await bolt.idle();
    const p99 = percentile(sortNumbers(times), 99);

    const delays: number[] = [];
    for (let run = 0; run < 5; run++) {
      const channel = `DFIRST${run}`;
      backend.fake.push({ parts: ['Once upon ', 'a time, ', 'a fox ', 'found a ', 'door.'], delayMs: 150 });
      backend.reset();
      let seen: number | undefined;
      const shown = slack.waitFor(() => {
        if (seen === undefined && slack.calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === channel)) seen = performance.now();
        return seen !== undefined;
      });
      await sender.event({ type: 'message', channel, channel_type: 'im', user: 'UALICE', text: 'tell me a story', ts: slack.nextTs() });
      await shown;
      await bolt.idle();
      delays.push(seen! - backend.firstToken!);
    }
    return { slack_ack_p99_ms: round1(p99), slack_first_text_ms: round1(percentile(sortNumbers(delays), 50)) };
  } finally {
    sender.close();
    await bolt.stop();
    await engine.idle();
    await store.close();
    await slack.close();
  }
}

/**
 * Sends signed events all at once from a worker thread (as Slack would, from outside Muse's
 * process) and returns each one's acknowledgement time in milliseconds.
 */
async function burst(url: string, secret: string, teamId: string, events: Array<Record<string, unknown>>): Promise<number[]> {
  const worker = new Worker(BURST_WORKER, { eval: true, workerData: { url, secret, teamId, events } });
  try {
    return await new Promise<number[]>((resolve, reject) => {
      worker.once('message', (m: { times?: number[]; error?: string }) => (m.times ? resolve(m.times) : reject(new Error(m.error))));
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

const BURST_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
const http = require('node:http');
const { url, secret, teamId, events } = workerData;
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const bodies = events.map((event, i) => JSON.stringify({ token: 'legacy', team_id: teamId, api_app_id: 'AMUSE', type: 'event_callback',
  event_id: 'EvBench' + i + '_' + Date.now(), event_time: Math.floor(Date.now() / 1000), event: { event_ts: event.ts, ...event } }));
function send(body) {
  const ts = Math.floor(Date.now() / 1000);
  const sig = 'v0=' + createHmac('sha256', secret).update('v0:' + ts + ':' + body).digest('hex');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig } },
      (res) => { res.resume(); res.on('end', () => res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error('status ' + res.statusCode))); });
    req.on('error', reject);
    req.end(body);
  });
}
Promise.all(bodies.map(send)).then((times) => { agent.destroy(); parentPort.postMessage({ times }); }, (err) => parentPort.postMessage({ error: String(err) }));
`;

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchSlack());
}

/** The scenarios' driver for Slack: the real Bolt app over HTTP against the loopback fake Slack. */
import { decodeAction } from '../../src/engine/actions.js';
import type { StructuredCommand } from '../../src/engine/plan.js';
import { FakeClock } from '../support/fake-clock.js';
import type { FakeMessage, SlackCall } from '../support/fake-slack.js';
import { withFeatures } from '../support/engine.js';
import { pollFeature } from '../support/poll-command.js';
import { ALICE, BOB, CHANNEL, post, startHarness, type Harness } from '../slack/harness.js';
import { mentionTokens, type Driver, type Exchange, type Person, type Shown } from './driver.js';
import { sceneFeature } from './scene-feature.js';

const USERS: Record<Person, string> = { alice: ALICE, bob: BOB };
/** Slack's control sequences that notify: <!channel>, <!here>, <!everyone>, <@U…>, <!subteam^…>. */
const PINGABLE = /<(?:!channel|!here|!everyone|@[UW][A-Z0-9]+|!subteam\^[A-Z0-9]+)(?:\|[^>]*)?>/g;
const POSTS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.startStream', 'chat.appendStream', 'chat.stopStream']);

export async function startSlackDriver(): Promise<Driver> {
  const clock = new FakeClock();
  // Replies in threads stream natively (chat.startStream), 3000 characters a message like the chat.update path.
  const h = await startHarness({ features: withFeatures(pollFeature, sceneFeature), clock, streamLimit: 3000 });
  return new SlackDriver(h, clock);
}

class SlackDriver implements Driver {
  readonly platform = 'slack';
  readonly limit = 3000;
  // A mention's reply streams natively, and its error sentence ends the stream.
  readonly differs = { privateRepliesToMentions: true, errorInOwnMessage: false };

  constructor(
    private readonly h: Harness,
    private readonly clock: FakeClock,
  ) {}

  get backend() {
    return this.h.backend;
  }

  mention(text: string, who: Person = 'alice'): Promise<Exchange> {
    return this.exchange(async () => {
      await this.h.event(post(this.h.slack, { type: 'app_mention', text: `<@${this.h.slack.botUserId}> ${text}`, user: USERS[who] }));
    });
  }

  command(name: string, sub?: string, options: Record<string, string> = {}, who: Person = 'alice'): Promise<Exchange> {
    const text = [sub ?? '', ...Object.entries(options).map(([k, v]) => `${k}:${v}`)].join(' ').trim();
    return this.exchange(async () => {
      await this.h.sender.command(`/${name}`, text, { user: USERS[who], channel: CHANNEL });
      await this.h.bolt.idle();
    });
  }

  click(message: Shown, which: (command: StructuredCommand) => boolean, who: Person = 'alice'): Promise<Exchange> {
    const m = this.message(message.id);
    const button = buttonsOf(m).find((b) => {
      const command = decodeAction(b.value)?.command;
      return !!command && which(command);
    });
    if (!button) throw new Error(`no such button on message ${message.id}`);
    return this.exchange(async () => {
      const res = await this.h.sender.click(button, {
        user: USERS[who],
        channel: m.channel,
        message: { ts: m.ts, text: m.text, blocks: m.blocks ?? [], ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}) },
      });
      if (res.status !== 200) throw new Error(`the click was refused: ${res.status}`);
      await this.h.bolt.idle();
    });
  }

  advance(ms: number): Promise<Exchange> {
    return this.exchange(async () => {
      this.clock.advance(ms);
      await this.h.engine.idle();
    });
  }

  current(message: Shown): Shown {
    return shown(this.message(message.id));
  }

  close(): Promise<void> {
    return this.h.close();
  }

  private message(ts: string): FakeMessage {
    const m = this.h.slack.museMessages().find((x) => x.ts === ts);
    if (!m) throw new Error(`no message ${ts}`);
    return m;
  }

  private async exchange(act: () => Promise<void>): Promise<Exchange> {
    const before = new Map(this.h.slack.museMessages().map((m) => [m.ts, JSON.stringify(shown(m))]));
    const since = this.h.slack.calls.length;
    const uploadsBefore = this.h.slack.uploads.length;
    await act();
    const calls = this.h.slack.calls.slice(since);
    const now = this.h.slack.museMessages();
    const names = calls.filter((c) => c.method === 'files.getUploadURLExternal').map((c) => String(c.args.filename));
    const person = (id: unknown): Person => (Object.entries(USERS).find(([, u]) => u === id)?.[0] ?? 'alice') as Person;
    return {
      posted: now.filter((m) => !before.has(m.ts)).map(shown),
      edited: now.filter((m) => before.has(m.ts) && before.get(m.ts) !== JSON.stringify(shown(m))).map(shown),
      private: calls.filter((c) => c.method === 'chat.postEphemeral').map((c) => ({ to: person(c.args.user), text: plain(String(c.args.text)) })),
      files: this.h.slack.uploads.slice(uploadsBefore).map((u, i) => ({ name: names[i] ?? '?', content: uploaded(u.body) })),
      pings: calls.flatMap(pings),
    };
  }
}

type Button = { action_id: string; value: string };

function buttonsOf(m: FakeMessage): Button[] {
  return (m.blocks ?? []).filter((b) => b.type === 'actions').flatMap((b) => (b as unknown as { elements: Button[] }).elements);
}

function shown(m: FakeMessage): Shown {
  return { id: m.ts, text: plain(m.text), buttons: buttonsOf(m).flatMap((b) => decodeAction(b.value)?.command ?? []) };
}

/** The file in an upload's body (the SDK sends it as multipart form data). */
function uploaded(body: string): string {
  const boundary = body.slice(0, body.indexOf('\r\n'));
  if (!boundary.startsWith('--')) return body;
  const start = body.indexOf('\r\n\r\n') + 4;
  return body.slice(start, body.indexOf(`\r\n${boundary}`, start));
}

/** Text as a reader sees it: Slack's three escapes undone. */
function plain(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** What a post would notify: control sequences in its text or blocks, and names when link_names is on. */
function pings(c: SlackCall): string[] {
  if (!POSTS.has(c.method)) return [];
  const texts = [c.args.text, c.args.markdown_text].map((t) => (typeof t === 'string' ? t : JSON.stringify(t ?? '')));
  texts.push(JSON.stringify(c.args.blocks ?? []));
  const out = texts.flatMap((t) => mentionTokens(t, PINGABLE));
  if (c.args.link_names === true || c.args.link_names === 'true' || c.args.link_names === 1 || c.args.link_names === '1') {
    out.push(...texts.flatMap((t) => mentionTokens(t, /@(?:channel|here|everyone)\b/g)));
  }
  return out;
}

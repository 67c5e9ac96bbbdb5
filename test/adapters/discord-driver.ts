/** The scenarios' driver for Discord: real discord.js against the loopback fake Discord. */
import { decodeAction } from '../../src/engine/actions.js';
import type { StructuredCommand } from '../../src/engine/plan.js';
import { FakeClock } from '../support/fake-clock.js';
import type { FakeUser, RecordedRequest, Stored } from '../support/fake-discord.js';
import { withFeatures } from '../support/engine.js';
import { pollFeature } from '../support/poll-command.js';
import { startHarness, type Harness } from '../discord/harness.js';
import { mentionTokens, type Driver, type Exchange, type Person, type Shown } from './driver.js';
import { sceneFeature } from './scene-feature.js';

const EPHEMERAL = 64;
/** What Discord would notify for, in a payload that does not forbid it. */
const PINGABLE = /@everyone|@here|<@[!&]?\d+>/g;

export async function startDiscordDriver(): Promise<Driver> {
  const clock = new FakeClock();
  const h = await startHarness({ features: withFeatures(pollFeature, sceneFeature), clock });
  return new DiscordDriver(h, clock);
}

class DiscordDriver implements Driver {
  readonly platform = 'discord';
  readonly limit = 2000;
  readonly differs = { privateRepliesToMentions: false, errorInOwnMessage: false };

  constructor(
    private readonly h: Harness,
    private readonly clock: FakeClock,
  ) {}

  get backend() {
    return this.h.backend;
  }

  private user(who: Person): FakeUser {
    return who === 'alice' ? this.h.fake.alice : this.h.fake.bob;
  }

  mention(text: string, who: Person = 'alice'): Promise<Exchange> {
    return this.exchange(who, async (since) => {
      this.h.fake.say({ content: `<@${this.h.fake.bot.id}> ${text}`, mentionsBot: true, user: this.user(who) });
      await this.h.fake.waitForRequest((r) => this.h.fake.requests.indexOf(r) >= since && r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path));
    });
  }

  command(name: string, sub?: string, options: Record<string, string> = {}, who: Person = 'alice'): Promise<Exchange> {
    return this.exchange(who, async () => {
      const { token } = this.h.fake.slash({ name, ...(sub ? { subcommand: sub } : {}), options, user: this.user(who) });
      await this.h.fake.waitForRequest((r) => r.path.endsWith(`/${token}/callback`));
    });
  }

  click(message: Shown, which: (command: StructuredCommand) => boolean, who: Person = 'alice'): Promise<Exchange> {
    const stored = this.h.fake.messages.get(message.id)!;
    const customId = customIds(stored).find((id) => {
      const command = decodeAction(id)?.command;
      return !!command && which(command);
    });
    if (!customId) throw new Error(`no such button on message ${message.id}`);
    return this.exchange(who, async () => {
      const { token } = this.h.fake.click({ message: stored, customId, user: this.user(who) });
      await this.h.fake.waitForRequest((r) => r.path.endsWith(`/${token}/callback`));
    });
  }

  advance(ms: number): Promise<Exchange> {
    return this.exchange('alice', async () => {
      this.clock.advance(ms);
      await this.h.engine.idle();
    });
  }

  current(message: Shown): Shown {
    return shown(this.h.fake.messages.get(message.id)!);
  }

  close(): Promise<void> {
    return this.h.close();
  }

  /** Runs `act`, waits until Muse has handled it, and tells what changed; private messages are `who`'s (the one who asked). */
  private async exchange(who: Person, act: (since: number) => Promise<void>): Promise<Exchange> {
    const before = new Map([...this.h.fake.messages.values()].map((m) => [m.id, JSON.stringify(shown(m))]));
    const since = this.h.fake.requests.length;
    await act(since);
    await this.h.discord.idle();
    const mine = [...this.h.fake.messages.values()].filter((m) => m.author.id === this.h.fake.bot.id && !m.deleted);
    const visible = mine.filter((m) => !(m.flags & EPHEMERAL));
    const posted = visible.filter((m) => !before.has(m.id));
    return {
      posted: posted.map(shown),
      edited: visible.filter((m) => before.has(m.id) && before.get(m.id) !== JSON.stringify(shown(m))).map(shown),
      private: mine.filter((m) => m.flags & EPHEMERAL && !before.has(m.id)).map((m) => ({ to: who, text: m.content })),
      files: posted.flatMap((m) => (m.attachments as Array<{ filename: string; content: string }>).map((a) => ({ name: a.filename, content: a.content }))),
      pings: this.h.fake.requests.slice(since).flatMap(pings),
    };
  }
}

function customIds(m: Stored): string[] {
  return (m.components as Array<{ components: Array<{ custom_id: string }> }>).flatMap((row) => row.components.map((b) => b.custom_id));
}

function shown(m: Stored): Shown {
  return { id: m.id, text: m.content, buttons: customIds(m).flatMap((id) => decodeAction(id)?.command ?? []) };
}

/** What a message payload would notify: mentions in its content that allowed_mentions does not forbid, and the replied-to author. */
function pings(r: RecordedRequest): string[] {
  if ((r.method !== 'POST' && r.method !== 'PATCH') || typeof r.body?.content !== 'string') return [];
  const allowed = r.body.allowed_mentions as { parse?: string[]; users?: string[]; roles?: string[]; replied_user?: boolean } | undefined;
  const out: string[] = [];
  if (!allowed || allowed.parse?.length || allowed.users?.length || allowed.roles?.length) out.push(...mentionTokens(r.body.content as string, PINGABLE));
  if (r.body.message_reference && allowed?.replied_user !== false) out.push('the replied-to author');
  return out;
}

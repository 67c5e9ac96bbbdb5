import { AttachmentBuilder, MessageFlags, type Message, type MessageComponentInteraction, type RepliableInteraction, type SendableChannels } from 'discord.js';
import { actionRows } from './buttons.js';
import type { OutgoingMessage, Surface } from './render.js';
import type { CastPoster } from './scene.js';

/** Set on every payload Muse sends: model output never pings anyone, not even the replied user. */
export const NO_PINGS = { parse: [], repliedUser: false } as const;

function payload(message: OutgoingMessage) {
  return {
    content: message.content,
    allowedMentions: NO_PINGS,
    components: actionRows(message.actions ?? []),
    ...(message.files?.length ? { files: message.files.map((f) => new AttachmentBuilder(Buffer.from(f.content, 'utf8'), { name: f.name })) } : {}),
  };
}

/** The follow-up messages of one reply to an interaction, by their place in the reply. */
class FollowUps {
  private readonly ids: string[] = [];

  constructor(private readonly interaction: RepliableInteraction | MessageComponentInteraction) {}

  /** Creates follow-up number `index`, or edits it when it exists. */
  async put(index: number, body: ReturnType<typeof payload>, flags?: MessageFlags.Ephemeral): Promise<void> {
    const id = this.ids[index];
    if (id) {
      await this.interaction.editReply({ ...body, message: id });
      return;
    }
    const sent = await this.interaction.followUp({ ...body, ...(flags ? { flags } : {}) });
    this.ids[index] = sent.id;
  }

  /** Deletes follow-up number `from` and those after it (a reply taken back, now shorter). */
  async dropFrom(from: number): Promise<void> {
    while (this.ids.length > from) {
      const id = this.ids.at(-1);
      if (id) await this.interaction.deleteReply(id);
      this.ids.pop();
    }
  }

  /** Removes what this reply posted so far (a "writing…" placeholder). */
  async drop(): Promise<void> {
    for (const id of this.ids) if (id) await this.interaction.deleteReply(id).catch(() => undefined);
    this.ids.length = 0;
  }
}

/** A deferred interaction: message 0 is the original reply, the rest are follow-ups. */
export class InteractionSurface implements Surface {
  readonly plan = { privateReplies: true };
  cast: CastPoster | undefined;
  readonly awaited = true;
  private readonly followUps: FollowUps;

  constructor(private readonly interaction: RepliableInteraction) {
    this.followUps = new FollowUps(interaction);
  }

  /** Removes the deferred reply and the follow-ups so far (a scene that opens with a line goes first). */
  async clear(): Promise<void> {
    await this.interaction.deleteReply();
    await this.followUps.drop();
  }

  async put(index: number, message: OutgoingMessage): Promise<void> {
    const body = payload(message);
    if (index === 0) await this.interaction.editReply(body);
    else await this.followUps.put(index, body, this.interaction.ephemeral ? MessageFlags.Ephemeral : undefined);
  }

  dropFrom(index: number): Promise<void> {
    return this.followUps.dropFrom(Math.max(1, index));
  }

  async aside(text: string): Promise<void> {
    await this.interaction.followUp({ content: text, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  }

  /** Ephemeral: edits an ephemeral deferral, or replaces a public one by an ephemeral follow-up. */
  async whisper(text: string): Promise<void> {
    if (this.interaction.ephemeral) {
      await this.interaction.editReply({ content: text, allowedMentions: NO_PINGS, components: [] });
      return;
    }
    await this.interaction.deleteReply().catch(() => undefined);
    await this.interaction.followUp({ content: text, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  }
}

/**
 * A button click acknowledged with deferUpdate: the reply is posted as follow-ups (public), or,
 * in place, shown in the clicked message itself (editReply edits the message the button is on);
 * a whisper is an ephemeral follow-up seen by the clicker alone. A failure with nothing shown is
 * the clicker's business, so it is private too.
 */
export class ClickSurface implements Surface {
  readonly plan = { privateReplies: true, clicked: true, privateErrors: true };
  cast: CastPoster | undefined;
  readonly awaited = false;
  private readonly followUps: FollowUps;

  constructor(private readonly interaction: MessageComponentInteraction) {
    this.followUps = new FollowUps(interaction);
  }

  clear(): Promise<void> {
    return this.followUps.drop();
  }

  async put(index: number, message: OutgoingMessage): Promise<void> {
    const body = payload(message);
    if (index === 0 && message.inPlace) await this.interaction.editReply(body);
    else await this.followUps.put(index, body);
  }

  dropFrom(index: number): Promise<void> {
    return this.followUps.dropFrom(index);
  }

  async whisper(text: string): Promise<void> {
    await this.followUps.drop();
    await this.interaction.followUp({ content: text, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  }

  async aside(text: string): Promise<void> {
    await this.interaction.followUp({ content: text, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  }

  /** The clicked message keeps its text; its buttons moved to the newest reply. */
  async retire(): Promise<void> {
    await this.interaction.editReply({ components: [] });
  }
}

/**
 * Messages in a channel, thread or DM; the first one optionally replies to a message. Nothing
 * here is private: a private part is shown with the reply (a DM is private already).
 */
export class ChannelSurface implements Surface {
  readonly plan = {};
  cast: CastPoster | undefined;
  readonly awaited = false;
  private readonly messages: Message[] = [];

  constructor(
    private readonly channel: SendableChannels,
    private readonly replyTo?: Message,
  ) {}

  /** Removes the messages posted so far (a "writing…" marker above a scene that opens with a line). */
  async clear(): Promise<void> {
    for (const m of this.messages) if (m) await m.delete();
    this.messages.length = 0;
  }

  async put(index: number, message: OutgoingMessage): Promise<void> {
    const body = payload(message);
    const existing = this.messages[index];
    if (existing) {
      await existing.edit(body);
      return;
    }
    const sent = index === 0 && this.replyTo ? await this.replyTo.reply({ ...body, failIfNotExists: false }) : await this.channel.send(body);
    this.messages[index] = sent;
  }

  async dropFrom(index: number): Promise<void> {
    while (this.messages.length > index) {
      await this.messages.at(-1)?.delete();
      this.messages.pop();
    }
  }
}

import {
  ApplicationCommandOptionType,
  ChannelType,
  MessageFlags,
  ThreadAutoArchiveDuration,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type GuildMember,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import type { ConversationRef } from '../../engine/conversation.js';
import type { Inbound } from '../../engine/engine.js';
import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import type { Attachment } from '../../engine/session.js';
import { resolveCommand } from '../../engine/spec.js';
import { findCommand } from '../../engine/text-command.js';
import { commandFromCustomId } from './buttons.js';
import type { DiscordContext } from './context.js';
import { conversationOf, displayName } from './conversation.js';
import { downloadCapped } from '../../net/download.js';
import { canManage, mayCreateThreads } from './permissions.js';
import { renderReply, type Surface } from './render.js';
import { ChannelSurface, ClickSurface, InteractionSurface, NO_PINGS } from './surfaces.js';

const INTERNAL = 'Something went wrong inside Muse; the details are in the log.';
/** A click's reply shows a "writing…" marker only if it has shown nothing after this long. */
const CLICK_PLACEHOLDER_MS = 1500;

/** Routes an interaction: slash commands, persona autocomplete, Muse's buttons. */
export async function handleInteraction(interaction: Interaction, ctx: DiscordContext): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) await onCommand(interaction, ctx);
    else if (interaction.isAutocomplete()) await onAutocomplete(interaction, ctx);
    else if (interaction.isButton()) await onButton(interaction, ctx);
  } catch (err) {
    ctx.log.error({ err, interaction: interaction.id }, 'discord interaction failed');
    if (interaction.isRepliable()) await apologise(interaction).catch(() => undefined);
  }
}

async function onCommand(interaction: ChatInputCommandInteraction, ctx: DiscordContext): Promise<void> {
  const subcommand = interaction.options.getSubcommand(false) ?? undefined;
  const spec = findCommand(ctx.engine.commands, interaction.commandName);
  const resolved = spec && resolveCommand(spec, subcommand);
  const manage = manageOf(interaction, ctx);
  const inGuild = !!interaction.guildId;
  const tutorInDm = inGuild && interaction.commandName === 'tutor';
  const refused = inGuild && !!resolved?.managerOnly && !manage;
  // Acknowledge first (Discord allows 3 s); private when the answer will be.
  await interaction.deferReply(tutorInDm || refused ? { flags: MessageFlags.Ephemeral } : {});

  const options = optionValues(interaction, subcommand);
  let attachments: Attachment[];
  try {
    attachments = await downloadAttachments(interaction, subcommand, ctx);
  } catch (err) {
    if (!(err instanceof UserFacingError)) throw err;
    ctx.log.warn({ err, cause: (err as { cause?: unknown }).cause }, 'discord: an attached file could not be taken');
    await renderReply(refusal(err), new InteractionSurface(interaction), ctx.render);
    return;
  }
  const base = {
    speaker: { id: interaction.user.id, name: displayName(interaction.user, interaction.member) },
    canManage: manage,
    command: { name: interaction.commandName, ...(subcommand ? { subcommand } : {}), options },
    ...(attachments.length ? { attachments } : {}),
  } satisfies Omit<Inbound, 'conversation'>;

  let conversation = conversationOf(interaction.channelId, interaction.guildId, interaction.channel);
  let surface: Surface = new InteractionSurface(interaction);

  if (tutorInDm) {
    const dm = await interaction.user.createDM().catch((err: unknown) => {
      ctx.log.warn({ err, user: interaction.user.id }, 'could not open a DM for /tutor');
      return undefined;
    });
    if (!dm) {
      await interaction.editReply({ content: "⚠️ Muse could not open a direct message with you (your privacy settings may block DMs from this server), so the tutoring session was not started.", allowedMentions: NO_PINGS });
      return;
    }
    await interaction.editReply({ content: '📚 Your tutoring session continues in our direct messages.', allowedMentions: NO_PINGS });
    conversation = { platform: 'discord', workspace: '@me', channel: dm.id, dm: true };
    surface = new ChannelSurface(dm);
  } else if (interaction.commandName === 'story' && subcommand === 'new' && !refused) {
    const thread = await openStoryThread(interaction, options, ctx);
    if (thread) {
      await interaction.editReply({ content: `📖 A new story begins in <#${thread.id}>.`, allowedMentions: NO_PINGS });
      conversation = conversationOf(thread.id, interaction.guildId, thread);
      surface = new ChannelSurface(thread);
    }
  }

  const parts = ctx.engine.handle({ ...base, conversation });
  await renderReply(parts, surface, { ...ctx.render, placeholder: surface instanceof ChannelSurface, onError: logTo(ctx, conversation) });
}

/** A public thread named after the premise, when the channel and Muse's permissions allow one. */
async function openStoryThread(interaction: ChatInputCommandInteraction, options: Record<string, string>, ctx: DiscordContext) {
  const channel = interaction.channel;
  if (!channel || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)) return undefined;
  if (!mayCreateThreads(interaction.appPermissions)) return undefined;
  // A story that would fail at once (unknown persona) stays in the channel with its error.
  if (options.persona && !ctx.engine.personas.get(options.persona)) return undefined;
  const premise = (options.premise ?? '').replace(/\s+/g, ' ').trim();
  if (!premise) return undefined;
  try {
    return await channel.threads.create({
      name: premise.length > 100 ? `${premise.slice(0, 99)}…` : premise,
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      reason: `Story started by ${interaction.user.username}`,
    });
  } catch (err) {
    ctx.log.warn({ err, channel: channel.id }, 'could not open a story thread; telling the story in the channel');
    return undefined;
  }
}

async function onAutocomplete(interaction: AutocompleteInteraction, ctx: DiscordContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const spec = findCommand(ctx.engine.commands, interaction.commandName);
  const resolved = spec && resolveCommand(spec, interaction.options.getSubcommand(false) ?? undefined);
  const option = resolved?.options.find((o) => o.name === focused.name);
  if (option?.autocomplete !== 'persona') {
    await interaction.respond([]);
    return;
  }
  const choices = ctx.engine.autocomplete('persona', String(focused.value)).slice(0, 25);
  await interaction.respond(choices.map((c) => ({ name: c.label, value: c.value })));
}

/**
 * A click runs the button's command as the clicker (votes are per person). It is acknowledged
 * with deferUpdate, so nothing shows until the reply has something: a reply that starts with
 * 'replace' takes the clicked message's place, an ephemeral answer ("your vote is in") goes to
 * the clicker alone, anything else is posted under it (with a "writing…" marker if slow).
 */
async function onButton(interaction: ButtonInteraction, ctx: DiscordContext): Promise<void> {
  const command = commandFromCustomId(interaction.customId);
  if (!command) return;
  await interaction.deferUpdate();
  const conversation = conversationOf(interaction.channelId, interaction.guildId, interaction.channel);
  const parts = ctx.engine.handle({
    conversation,
    speaker: { id: interaction.user.id, name: displayName(interaction.user, interaction.member) },
    canManage: manageOf(interaction, ctx),
    text: command,
  });
  await renderReply(parts, new ClickSurface(interaction), { ...ctx.render, placeholderAfterMs: CLICK_PLACEHOLDER_MS, onError: logTo(ctx, conversation) });
}

/** Files attached to the command's attachment options, downloaded (size-capped). */
async function downloadAttachments(interaction: ChatInputCommandInteraction, subcommand: string | undefined, ctx: DiscordContext): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const option of leafOptions(interaction, subcommand)) {
    if (option.type !== ApplicationCommandOptionType.Attachment || !option.attachment) continue;
    const file = option.attachment;
    const data = await downloadCapped({
      url: file.url,
      name: file.name,
      size: file.size,
      ...(ctx.maxAttachmentBytes ? { maxBytes: ctx.maxAttachmentBytes } : {}),
      ...(ctx.download ? { fetch: ctx.download } : {}),
    });
    out.push({ name: file.name, ...(file.contentType ? { contentType: file.contentType } : {}), data });
  }
  return out;
}

async function* refusal(err: UserFacingError): AsyncGenerator<ReplyPart> {
  yield { type: 'error', code: err.code, message: err.message, ephemeral: true };
}

function leafOptions(interaction: ChatInputCommandInteraction, subcommand: string | undefined): readonly CommandInteractionOption[] {
  const data = interaction.options.data;
  return subcommand ? data.find((o) => o.type === ApplicationCommandOptionType.Subcommand)?.options ?? [] : data;
}

/** Option values as text, for the engine to validate; files come separately as attachments. */
function optionValues(interaction: ChatInputCommandInteraction, subcommand: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of leafOptions(interaction, subcommand)) {
    if (o.type === ApplicationCommandOptionType.Attachment) continue;
    if (o.value !== undefined && o.value !== null) out[o.name] = String(o.value);
  }
  return out;
}

function manageOf(interaction: RepliableInteraction, ctx: DiscordContext): boolean {
  const member = interaction.member;
  let roleNames: string[] = [];
  if (member && 'roles' in member) {
    roleNames = Array.isArray(member.roles)
      ? member.roles.map((id) => interaction.guild?.roles.cache.get(id)?.name ?? '')
      : (member as GuildMember).roles.cache.map((r) => r.name);
  }
  return canManage({ dm: !interaction.guildId, permissions: interaction.memberPermissions, roleNames, managerRole: ctx.managerRole });
}

function logTo(ctx: DiscordContext, conversation: ConversationRef) {
  return (err: unknown, what: string) => ctx.log.warn({ err, channel: conversation.channel }, `discord: ${what}`);
}

async function apologise(interaction: RepliableInteraction): Promise<void> {
  const body = { content: `⚠️ ${INTERNAL}`, allowedMentions: NO_PINGS };
  if (interaction.deferred || interaction.replied) await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
}

import {
  ApplicationCommandOptionType,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type GuildMember,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import type { ConversationRef } from '../../engine/conversation.js';
import { UserFacingError, type ReplyPart } from '../../engine/parts.js';
import { decodeAction } from '../../engine/actions.js';
import { refusal } from '../../engine/plan.js';
import type { OptionInput, PlacementNotes } from '../../engine/spec.js';
import { render, type Translate } from '../../i18n/index.js';
import type { Attachment } from '../../engine/session.js';
import { castPoster } from './cast.js';
import { downloadAttachment, leafOptions, subcommandOf } from './attachments.js';
import type { DiscordContext } from './context.js';
import { conversationOf, displayName } from './conversation.js';
import { canManage } from './permissions.js';
import { howItStarts, openThread, withdrawThread } from './thread-start.js';
import { renderReply, type Surface } from './render.js';
import { ChannelSurface, ClickSurface, InteractionSurface, NO_PINGS } from './surfaces.js';
import { surfaceWords } from '../common/words.js';

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

/**
 * A slash command: the engine plans it and checks it first (a refusal is private, and nothing
 * is opened or downloaded for it), then Discord honours where it runs: a 'dm' command moves to
 * the speaker's DMs, a 'thread' command opens a thread named from its main free-text option.
 */
async function onCommand(interaction: ChatInputCommandInteraction, ctx: DiscordContext): Promise<void> {
  const sub = subcommandOf(interaction);
  const speaker = { id: interaction.user.id, name: displayName(interaction.user, interaction.member) };
  const manage = manageOf(interaction, ctx);
  const words = surfaceWords(interaction.locale);
  const turn = { speaker, canManage: () => manage, locale: interaction.locale, onLocale: words.onLocale };
  let conversation = conversationOf(interaction.channelId, interaction.guildId, interaction.channel);
  const planned = ctx.engine.plan({ command: { name: interaction.commandName, ...(sub ? { sub } : {}), options: optionValues(interaction, sub) } });
  const plan = await ctx.engine.check(planned, { conversation, speaker, canManage: () => manage });
  const inGuild = !!interaction.guildId;
  const toDm = inGuild && plan.kind === 'command' && plan.placement === 'dm';
  // Acknowledge first (Discord allows 3 s); private when the answer will be.
  const privately = toDm || plan.kind === 'refusal' || (plan.kind === 'command' && plan.private);
  await interaction.deferReply(privately ? { flags: MessageFlags.Ephemeral } : {});
  if (plan.kind === 'refusal') {
    // Through the engine, so the sentence is in the speaker's language.
    await renderReply(ctx.engine.run(plan, { conversation, ...turn }), new InteractionSurface(interaction), { ...ctx.render, t: words.t });
    return;
  }

  let attachments: Attachment[] = [];
  if (plan.kind === 'command' && plan.takesFiles) {
    try {
      attachments = await downloadAttachment(interaction, sub, ctx, plan);
    } catch (err) {
      if (!(err instanceof UserFacingError)) throw err;
      ctx.log.warn({ err, cause: (err as { cause?: unknown }).cause }, 'discord: an attached file could not be taken');
      await renderReply(ctx.engine.run(refusal(err), { conversation, ...turn }), new InteractionSurface(interaction), { ...ctx.render, t: words.t });
      return;
    }
  }

  let surface: Surface = new InteractionSurface(interaction);
  if (toDm) {
    const dm = await interaction.user.createDM().catch((err: unknown) => {
      ctx.log.warn({ err, user: interaction.user.id }, `could not open a DM for /${plan.path}`);
      return undefined;
    });
    const notes = plan.placementNotes;
    if (!dm) {
      await interaction.editReply({
        content: notes?.failed ? said(notes.failed, words.t) : words.t('surface.dmFailed'),
        allowedMentions: NO_PINGS,
      });
      return;
    }
    await interaction.editReply({
      content: where(notes ? said(notes.moved, words.t) : words.t('surface.movedToDm'), `<#${dm.id}>`),
      allowedMentions: NO_PINGS,
    });
    conversation = { platform: 'discord', workspace: '@me', channel: dm.id, dm: true };
    surface = new ChannelSurface(dm);
  }
  const run = (where_: ConversationRef) => ctx.engine.run(plan, { conversation: where_, ...turn, ...(attachments.length ? { attachments } : {}) });
  let parts: AsyncIterable<ReplyPart> | undefined;
  if (!toDm && plan.kind === 'command' && plan.placement === 'thread') {
    const thread = await openThread(interaction, plan.mainText, ctx);
    if (thread) {
      conversation = conversationOf(thread.id, interaction.guildId, thread);
      // A run refused before it begins (a limit, the budget, a feature's refusal) takes its thread back: the refusal is told here.
      const started = await howItStarts(run(conversation));
      if (started.refused) {
        await withdrawThread(thread, ctx);
        await renderReply(single(started.refused), new InteractionSurface(interaction), { ...ctx.render, t: words.t });
        return;
      }
      await interaction.editReply({
        content: where(plan.placementNotes ? said(plan.placementNotes.moved, words.t) : words.t('surface.movedToThread'), `<#${thread.id}>`),
        allowedMentions: NO_PINGS,
      });
      surface = new ChannelSurface(thread);
      surface.cast = castPoster(thread, interaction.appPermissions, ctx.log);
      parts = started.parts;
    }
  }
  if (!toDm && !surface.cast) surface.cast = castPoster(interaction.channel, interaction.appPermissions, ctx.log);

  parts ??= run(conversation);
  await renderReply(parts, surface, { ...ctx.render, t: words.t, placeholder: surface instanceof ChannelSurface, onError: logTo(ctx, conversation) });
}

/** One part as a run of its own. */
async function* single(part: ReplyPart): AsyncGenerator<ReplyPart> {
  yield part;
}

/** A placement note in the speaker's language (a note given as English text stays as written). */
function said(note: PlacementNotes['moved'], t: Translate): string {
  return typeof note === 'string' ? note : render(t, note);
}

/** A placement note with `{where}` filled in. */
function where(note: string, place: string): string {
  return note.replaceAll('{where}', place);
}

async function onAutocomplete(interaction: AutocompleteInteraction, ctx: DiscordContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const sub = subcommandOf(interaction);
  // The personas the speaker's tenant can choose: this server's imports (in DMs, the user's) and the built-in ones.
  const where = {
    conversation: conversationOf(interaction.channelId, interaction.guildId, interaction.channel),
    speaker: { id: interaction.user.id, name: displayName(interaction.user, interaction.member) },
  };
  const at = { command: interaction.commandName, ...(sub ? { sub } : {}), option: focused.name };
  const choices = (await ctx.engine.suggest(at, String(focused.value), where)).slice(0, 25);
  await interaction.respond(choices.map((c) => ({ name: c.label, value: c.value })));
}

/**
 * A click runs the button's action as the clicker (votes are per person). It is acknowledged
 * with deferUpdate, so nothing shows until the reply has something: a reply that starts with
 * 'replace' takes the clicked message's place, an ephemeral answer ("your vote is in") goes to
 * the clicker alone, anything else is posted under it (with a "writing…" marker if slow).
 */
async function onButton(interaction: ButtonInteraction, ctx: DiscordContext): Promise<void> {
  const action = decodeAction(interaction.customId);
  if (!action) return;
  await interaction.deferUpdate();
  const conversation = conversationOf(interaction.channelId, interaction.guildId, interaction.channel);
  const manage = manageOf(interaction, ctx);
  const words = surfaceWords(interaction.locale);
  const parts = ctx.engine.handle({
    ...action,
    conversation,
    speaker: { id: interaction.user.id, name: displayName(interaction.user, interaction.member) },
    canManage: () => manage,
    locale: interaction.locale,
    onLocale: words.onLocale,
  });
  const surface = new ClickSurface(interaction);
  surface.cast = castPoster(interaction.channel, interaction.appPermissions, ctx.log);
  await renderReply(parts, surface, {
    ...ctx.render,
    t: words.t,
    placeholderAfterMs: CLICK_PLACEHOLDER_MS,
    onError: logTo(ctx, conversation),
  });
}

/** Option values as Discord sends them, for the engine to validate; files come separately as attachments. */
function optionValues(interaction: ChatInputCommandInteraction, subcommand: string | undefined): Record<string, OptionInput> {
  const out: Record<string, OptionInput> = {};
  for (const o of leafOptions(interaction, subcommand)) {
    if (o.type === ApplicationCommandOptionType.Attachment) continue;
    if (o.value !== undefined && o.value !== null) out[o.name] = o.value;
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
  const body = { content: `⚠️ ${surfaceWords(interaction.locale).t('surface.internal')}`, allowedMentions: NO_PINGS };
  if (interaction.deferred || interaction.replied) await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
}

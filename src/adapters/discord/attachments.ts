import { ApplicationCommandOptionType, type AutocompleteInteraction, type ChatInputCommandInteraction, type CommandInteractionOption } from 'discord.js';
import { pickFile } from '../../engine/accept.js';
import { checkAnnounced, MAX_IMAGE_BYTES } from '../../engine/images.js';
import type { CommandPlan } from '../../engine/plan.js';
import type { Attachment } from '../../engine/session.js';
import { downloadCapped } from '../../net/download.js';
import type { DiscordContext } from './context.js';

/**
 * The one file the command takes (the first attached of a kind it accepts), downloaded
 * size-capped from Discord's CDN (or DISCORD_API_URL's origin); none when nothing was attached.
 */
export async function downloadAttachment(
  interaction: ChatInputCommandInteraction,
  subcommand: string | undefined,
  ctx: DiscordContext,
  plan: CommandPlan,
): Promise<Attachment[]> {
  const attached = leafOptions(interaction, subcommand).flatMap((o) =>
    o.type === ApplicationCommandOptionType.Attachment && o.attachment ? [o.attachment] : [],
  );
  if (attached.length === 0) return [];
  const file = pickFile(attached, plan.accepts, (a) => ({ name: a.name, contentType: a.contentType ?? undefined }), `/${plan.path}`);
  const data = await downloadCapped({
    url: file.url,
    name: file.name,
    hosts: ctx.fileHosts,
    size: file.size,
    ...(ctx.maxAttachmentBytes ? { maxBytes: ctx.maxAttachmentBytes } : {}),
    ...(ctx.download ? { fetch: ctx.download } : {}),
  });
  return [{ name: file.name, ...(file.contentType ? { contentType: file.contentType } : {}), data }];
}

/** A file attached to a message, as discord.js gives it. */
interface MessageFile {
  name: string;
  contentType: string | null;
  size: number;
  url: string;
}

/**
 * The pictures attached to a message that is a turn (a mention, a DM), checked as announced
 * (at most 4, pictures by name or type) before any is downloaded, each capped at 4 MB.
 */
export async function downloadImages(files: readonly MessageFile[], ctx: DiscordContext): Promise<Attachment[]> {
  checkAnnounced(files.map((f) => ({ name: f.name, contentType: f.contentType ?? undefined })));
  const out: Attachment[] = [];
  for (const file of files) {
    const data = await downloadCapped({
      url: file.url,
      name: file.name,
      hosts: ctx.fileHosts,
      size: file.size,
      maxBytes: MAX_IMAGE_BYTES,
      ...(ctx.download ? { fetch: ctx.download } : {}),
    });
    out.push({ name: file.name, ...(file.contentType ? { contentType: file.contentType } : {}), data });
  }
  return out;
}

/** The options of the command, or of its subcommand (inside its group, when it is in one). */
export function leafOptions(interaction: ChatInputCommandInteraction, subcommand: string | undefined): readonly CommandInteractionOption[] {
  let data = interaction.options.data;
  if (!subcommand) return data;
  const group = data.find((o) => o.type === ApplicationCommandOptionType.SubcommandGroup);
  if (group) data = group.options ?? [];
  return data.find((o) => o.type === ApplicationCommandOptionType.Subcommand)?.options ?? [];
}

/** The subcommand an interaction names as plans carry it: "new", or "cast add" within a group. */
export function subcommandOf(interaction: ChatInputCommandInteraction | AutocompleteInteraction): string | undefined {
  const sub = interaction.options.getSubcommand(false) ?? undefined;
  const group = interaction.options.getSubcommandGroup(false);
  return group && sub ? `${group} ${sub}` : sub;
}

import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';

export interface ManageCheck {
  /** Direct messages: always allowed. */
  dm: boolean;
  /** The member's permissions in the channel, when known. */
  permissions?: Readonly<PermissionsBitField> | null;
  /** Names of the member's roles. */
  roleNames?: readonly string[];
  /** A role name that also grants management (MUSE_MANAGER_ROLE), compared case-insensitively. */
  managerRole?: string | undefined;
}

/** Whether the speaker may change this conversation's settings (persona use, memory clear). */
export function canManage(check: ManageCheck): boolean {
  if (check.dm) return true;
  if (check.permissions?.has(PermissionFlagsBits.ManageChannels)) return true;
  const wanted = check.managerRole?.trim().toLowerCase();
  return !!wanted && (check.roleNames ?? []).some((name) => name.trim().toLowerCase() === wanted);
}

/** What Muse needs in a channel; the invite URL asks for exactly these. */
export const MUSE_PERMISSIONS: readonly bigint[] = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.CreatePublicThreads,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.EmbedLinks,
  // A story's cast speaks through a channel webhook Muse creates ("Muse cast").
  PermissionFlagsBits.ManageWebhooks,
];

export const MUSE_PERMISSION_BITS: bigint = MUSE_PERMISSIONS.reduce((a, b) => a | b, 0n);

/**
 * Whether the app may post through a webhook here: unknown (a message event carries no app
 * permissions) counts as maybe, and a refused webhook call falls back then.
 */
export function mayUseWebhooks(appPermissions: Readonly<PermissionsBitField> | null | undefined): boolean {
  return !appPermissions || appPermissions.has(PermissionFlagsBits.ManageWebhooks);
}

/** Whether the app may open a story thread here (from the interaction's app_permissions). */
export function mayCreateThreads(appPermissions: Readonly<PermissionsBitField> | null | undefined): boolean {
  return !!appPermissions?.has([PermissionFlagsBits.CreatePublicThreads, PermissionFlagsBits.SendMessagesInThreads]);
}

import type { types, webApi } from '@slack/bolt';

/** Slack types through @slack/bolt (the one Slack package Muse depends on directly). */
export type WebClient = webApi.WebClient;
export type KnownBlock = types.KnownBlock;
export type Button = types.Button;

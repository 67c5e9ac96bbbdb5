/**
 * What the adapter scenarios (scenarios.ts) ask of a platform: send a mention, a slash command or
 * a click through the real client against the platform's loopback fake, and read back what people
 * would see (posted, edited, sent privately). One driver per platform (discord-driver.ts,
 * slack-driver.ts); the scenarios are written once.
 */
import type { StructuredCommand } from '../../src/engine/plan.js';
import type { FakeBackend } from '../../src/model/fake.js';

export type Person = 'alice' | 'bob';

/** A message as its readers see it. */
export interface Shown {
  /** The platform's id of the message (Discord's id, Slack's ts). */
  id: string;
  /** Its text as a reader sees it (Slack's escaping undone). */
  text: string;
  /** Its buttons, as the commands a click runs, in order. */
  buttons: StructuredCommand[];
}

/** What one request (or one announcement) changed. */
export interface Exchange {
  /** Public messages that appeared, as they now stand, oldest first. */
  posted: Shown[];
  /** Public messages from before that changed, as they now stand. */
  edited: Shown[];
  /** Messages shown to one person alone. */
  private: Array<{ to: Person; text: string }>;
  /** Files published (Discord attaches them to a message, Slack uploads them beside it). */
  files: Array<{ name: string; content: string }>;
  /** Mentions that would notify someone (@everyone, a user, the replied-to author), as sent. */
  pings: string[];
}

export interface Driver {
  readonly platform: 'discord' | 'slack';
  readonly backend: FakeBackend;
  /** Characters per message. */
  readonly limit: number;
  /** Where the platforms genuinely differ; each scenario that depends on one says so. */
  readonly differs: {
    /**
     * A refusal to a mention can be private. Slack: an ephemeral message to the speaker. Discord:
     * channel messages have no private replies (only interactions do), so it is a public reply.
     */
    privateRepliesToMentions: boolean;
    /** The error sentence after partial text is a message of its own (Slack) rather than the end of the last one (Discord). */
    errorInOwnMessage: boolean;
  };
  /** A message that mentions Muse in the shared channel, by `who`. */
  mention(text: string, who?: Person): Promise<Exchange>;
  /** A slash command in the shared channel, by `who` (options as Discord would send strings). */
  command(name: string, sub?: string, options?: Record<string, string>, who?: Person): Promise<Exchange>;
  /** A click by `who` on the button of `message` whose command `which` accepts. */
  click(message: Shown, which: (command: StructuredCommand) => boolean, who?: Person): Promise<Exchange>;
  /** Moves the engine's clock on and waits for what Muse announces. */
  advance(ms: number): Promise<Exchange>;
  /** `message` as it now stands. */
  current(message: Shown): Shown;
  close(): Promise<void>;
}

/** The mention tokens in a text that a platform would turn into a notification. */
export function mentionTokens(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((m) => m[0]);
}

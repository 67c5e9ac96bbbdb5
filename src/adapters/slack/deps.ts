import type { Download } from '../../net/download.js';
import type { FileHosts } from '../../net/file-hosts.js';
import type { Engine } from '../../engine/engine.js';
import type { Logger } from '../../util/log.js';
import type { WebClient } from './client.js';
import type { MuseThreads } from './threads.js';
import type { SlackUsers } from './users.js';

/** What every listener needs; built once in start.ts. */
export interface SlackDeps {
  engine: Engine;
  client: WebClient;
  log: Logger;
  users: SlackUsers;
  threads: MuseThreads;
  /**
   * True the first time a post (`message`, keyed `channel:ts`: one post can arrive as app_mention
   * and message) or a click (`action`) is seen by any process sharing the store; false after.
   */
  firstDelivery(kind: 'message' | 'action', key: string): Promise<boolean>;
  throttleMs: number;
  chunkLimit: number;
  /** Slack's own streaming for replies in threads (default on); off: chat.postMessage / chat.update. */
  nativeStreaming?: boolean | undefined;
  /** Characters per natively streamed message (default 12,000, Slack's markdown_text limit). */
  streamLimit?: number | undefined;
  /** Sent (as a Bearer token) to download files people share with a command. */
  botToken: string;
  /** Where shared files may be downloaded from (files.slack.com, SLACK_API_URL's origin). */
  fileHosts: FileHosts;
  /** Fetches a shared file (default: fetch). */
  download?: Download | undefined;
  /** Largest shared file taken (default 8 MB). */
  maxFileBytes?: number | undefined;
}

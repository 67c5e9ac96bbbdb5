import type { Engine } from '../../engine/engine.js';
import type { Logger } from '../../util/log.js';
import type { Download } from '../../net/download.js';
import type { FileHosts } from '../../net/file-hosts.js';
import type { RenderOptions } from './render.js';

/** What every Discord handler needs. */
export interface DiscordContext {
  engine: Engine;
  log: Logger;
  managerRole?: string | undefined;
  render: RenderOptions;
  /** Where attached files may be downloaded from (Discord's CDN, DISCORD_API_URL's origin). */
  fileHosts: FileHosts;
  /** Fetches a command's attached file from its URL (default: fetch). */
  download?: Download | undefined;
  /** Largest attached file taken (default 8 MB). */
  maxAttachmentBytes?: number | undefined;
}

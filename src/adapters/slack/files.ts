import { downloadCapped } from '../../net/download.js';
import type { Attachment } from '../../engine/session.js';
import type { SlackDeps } from './deps.js';

/** The fields Muse reads from a file shared in a Slack message (`files[]` of the event). */
export interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  mimetype?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
}

/** Downloads the message's files (with the bot token, size-capped) for the command they came with. */
export async function downloadFiles(deps: SlackDeps, files: readonly SlackFile[]): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const file of files) {
    const name = file.name ?? file.title ?? file.id ?? 'file';
    const url = file.url_private_download ?? file.url_private;
    if (!url) continue;
    const data = await downloadCapped({
      url,
      name,
      size: file.size,
      headers: { authorization: `Bearer ${deps.botToken}` },
      ...(deps.maxFileBytes ? { maxBytes: deps.maxFileBytes } : {}),
      ...(deps.download ? { fetch: deps.download } : {}),
    });
    out.push({ name, ...(file.mimetype ? { contentType: file.mimetype } : {}), data });
  }
  return out;
}

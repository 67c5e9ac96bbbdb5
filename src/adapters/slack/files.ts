import { pickFile } from '../../engine/accept.js';
import { checkAnnounced, MAX_IMAGE_BYTES } from '../../engine/images.js';
import { UserFacingError } from '../../engine/parts.js';
import type { CommandPlan } from '../../engine/plan.js';
import type { Attachment } from '../../engine/session.js';
import { downloadCapped } from '../../net/download.js';
import type { SlackDeps } from './deps.js';

/** The fields Muse reads from a file shared in a Slack message (`files[]` of the event). */
export interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  mimetype?: string;
  size?: number;
  /** 'hosted' (uploaded to Slack), 'snippet', or 'external', 'post', 'tombstone', ... */
  mode?: string;
  /** A remote file (files.remote.add, Google Drive, ...): its URLs point outside Slack. */
  is_external?: boolean;
  url_private_download?: string;
  url_private?: string;
}

/** Files whose content Slack itself stores (a snippet is a text file). */
const STORED_BY_SLACK = new Set(['hosted', 'snippet']);

/**
 * Downloads the one file the command takes (the first of a kind it accepts; the others are left
 * alone), with the bot token, size-capped, and only from Slack's own file host. A remote or
 * external file is refused before any request.
 */
export async function downloadFile(deps: SlackDeps, files: readonly SlackFile[], plan: CommandPlan): Promise<Attachment> {
  const file = pickFile(files, plan.accepts, (f) => ({ name: nameOf(f), contentType: f.mimetype }), `/${plan.path}`);
  return fetchFile(deps, file, deps.maxFileBytes);
}

/**
 * The pictures shared with a message that is a turn (a mention, a DM), checked as announced (at
 * most 4, pictures by name or type) before any is downloaded, each capped at 4 MB.
 */
export async function downloadImages(deps: SlackDeps, files: readonly SlackFile[]): Promise<Attachment[]> {
  checkAnnounced(files.map((f) => ({ name: nameOf(f), contentType: f.mimetype })));
  const out: Attachment[] = [];
  for (const file of files) out.push(await fetchFile(deps, file, MAX_IMAGE_BYTES));
  return out;
}

async function fetchFile(deps: SlackDeps, file: SlackFile, maxBytes: number | undefined): Promise<Attachment> {
  const name = nameOf(file);
  const url = file.url_private_download ?? file.url_private;
  if (file.is_external || !STORED_BY_SLACK.has(file.mode ?? 'hosted') || !url) {
    throw UserFacingError.of(
      'bad_input',
      'slack.notStored',
      { name },
      { cause: new Error(`slack file ${file.id ?? '?'}: mode ${file.mode ?? 'unset'}, is_external ${String(file.is_external ?? false)}`) },
    );
  }
  const data = await downloadCapped({
    url,
    name,
    hosts: deps.fileHosts,
    size: file.size,
    headers: { authorization: `Bearer ${deps.botToken}` },
    ...(maxBytes ? { maxBytes } : {}),
    ...(deps.download ? { fetch: deps.download } : {}),
  });
  return { name, ...(file.mimetype ? { contentType: file.mimetype } : {}), data };
}

function nameOf(file: SlackFile): string {
  return file.name ?? file.title ?? file.id ?? 'file';
}

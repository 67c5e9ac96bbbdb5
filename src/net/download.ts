import { UserFacingError } from '../engine/parts.js';
import { isAllowedFileUrl, type FileHosts } from './file-hosts.js';

/** The one limit on a file Muse takes with a command (a character card, a World Info file), on every platform and in the terminal. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

/** Redirects followed (each to an allowed host) before giving up. */
const MAX_REDIRECTS = 3;

/** Fetches a URL; adapters may pass their own. Redirects are never followed by it ('manual'): downloadCapped checks each hop. */
export type Download = (url: string, init: { headers?: Record<string, string>; signal: AbortSignal; redirect: 'manual' }) => Promise<Response>;

export interface DownloadRequest {
  url: string;
  /** The file's name, for the sentence a user reads when it fails. */
  name: string;
  /** Where files may come from; any other host is refused before a request is sent. */
  hosts: FileHosts;
  /** The size the platform announced, when known (refused before downloading). */
  size?: number | undefined;
  /** Sent with the request (a bot token) only to the origin of `url`, never after a redirect to another. */
  headers?: Record<string, string>;
  maxBytes?: number;
  timeoutMs?: number;
  fetch?: Download;
}

/**
 * Downloads a file from an allowed host with a size cap: refuses a host that is not allowed (and a
 * redirect to one) before any request goes there, refuses at once when the announced size is over
 * the cap, and stops reading when the body grows past it. Failures are UserFacingErrors naming the
 * file, with what went wrong as their cause (for the log).
 */
export async function downloadCapped(req: DownloadRequest): Promise<Uint8Array> {
  const max = req.maxBytes ?? MAX_UPLOAD_BYTES;
  let url = allowedUrl(req.url, req);
  if (req.size !== undefined && req.size > max) throw tooLarge(req.name, req.size, max);
  const get: Download = req.fetch ?? ((href, init) => fetch(href, init));
  const signal = AbortSignal.timeout(req.timeoutMs ?? 30_000);
  const origin = url.origin;
  let res: Response;
  for (let hop = 0; ; hop++) {
    try {
      res = await get(url.href, { ...(req.headers && url.origin === origin ? { headers: req.headers } : {}), signal, redirect: 'manual' });
    } catch (err) {
      throw failed(req.name, err);
    }
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (location === null) break;
    await res.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) throw failed(req.name, new Error(`more than ${MAX_REDIRECTS} redirects`));
    url = allowedUrl(new URL(location, url).href, req);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw UserFacingError.of('bad_input', 'files.answered', { name: req.name, status: res.status });
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await res.body.cancel().catch(() => undefined);
    throw tooLarge(req.name, declared, max);
  }
  return readCapped(res.body, req.name, max);
}

async function readCapped(body: ReadableStream<Uint8Array>, name: string, max: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(name, max, max, true);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof UserFacingError) throw err;
    throw failed(name, err);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** `href` as a URL when its host is allowed; otherwise the refusal (the host goes to the log, not to the user). */
function allowedUrl(href: string, req: DownloadRequest): URL {
  let url: URL | undefined;
  try {
    url = new URL(href);
  } catch {
    url = undefined;
  }
  if (url && isAllowedFileUrl(url, req.hosts)) return url;
  throw UserFacingError.of(
    'bad_input',
    'files.foreignHost',
    { platform: req.hosts.label, name: req.name },
    {
      cause: new Error(`refused to fetch from ${url ? url.origin : 'an invalid URL'}`),
    },
  );
}

/** The sentence for a file over the limit, wherever it came from (a download, a terminal path). */
export function tooLarge(name: string, size: number, max = MAX_UPLOAD_BYTES, atLeast = false): UserFacingError {
  const over = atLeast || bytes(size) === bytes(max);
  return over
    ? UserFacingError.of('bad_input', 'files.over', { name, max: bytes(max) })
    : UserFacingError.of('bad_input', 'files.size', { name, size: bytes(size), max: bytes(max) });
}

/** 8 MB, 1.5 MB, 2 KB. */
function bytes(n: number): string {
  const [unit, size] = n >= 1024 * 1024 ? ['MB', n / (1024 * 1024)] : ['KB', Math.max(1, n / 1024)];
  return `${Number(size.toFixed(1))} ${unit}`;
}

/** The sentence a user reads; the cause stays on the error for the log. */
function failed(name: string, cause: unknown): UserFacingError {
  return UserFacingError.of('bad_input', 'files.failed', { name }, { cause });
}

import { UserFacingError } from '../engine/parts.js';

/** Largest file Muse takes with a command (a character card, a World Info file). */
export const MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024;

/** Fetches a URL's body; adapters pass their own (tests point it at a loopback fake). */
export type Download = (url: string, init: { headers?: Record<string, string>; signal: AbortSignal }) => Promise<Response>;

export interface DownloadRequest {
  url: string;
  /** The file's name, for the sentence a user reads when it fails. */
  name: string;
  /** The size the platform announced, when known (refused before downloading). */
  size?: number | undefined;
  headers?: Record<string, string>;
  maxBytes?: number;
  timeoutMs?: number;
  fetch?: Download;
}

/**
 * Downloads a file with a size cap: refuses at once when the announced size is over it, and stops
 * reading when the body grows past it. Failures are UserFacingErrors naming the file.
 */
export async function downloadCapped(req: DownloadRequest): Promise<Uint8Array> {
  const max = req.maxBytes ?? MAX_ATTACHMENT_BYTES;
  if (req.size !== undefined && req.size > max) throw tooLarge(req.name, req.size, max);
  const get: Download = req.fetch ?? ((url, init) => fetch(url, init));
  let res: Response;
  try {
    res = await get(req.url, { ...(req.headers ? { headers: req.headers } : {}), signal: AbortSignal.timeout(req.timeoutMs ?? 30_000) });
  } catch (err) {
    throw failed(req.name, err);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new UserFacingError('bad_input', `Muse could not download the file "${req.name}" (the server answered ${res.status}); please try again.`);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await res.body.cancel().catch(() => undefined);
    throw tooLarge(req.name, declared, max);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(req.name, max, max, true);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof UserFacingError) throw err;
    throw failed(req.name, err);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function tooLarge(name: string, size: number, max: number, atLeast = false): UserFacingError {
  return new UserFacingError('bad_input', `The file "${name}" is ${atLeast ? 'over ' : ''}${bytes(size)}; Muse takes files up to ${bytes(max)}.`);
}

/** 8 MB, 1.5 MB, 2 KB. */
function bytes(n: number): string {
  const [unit, size] = n >= 1024 * 1024 ? ['MB', n / (1024 * 1024)] : ['KB', Math.max(1, n / 1024)];
  return `${Number(size.toFixed(1))} ${unit}`;
}

/** The sentence a user reads; the cause stays on the error for the log. */
function failed(name: string, cause: unknown): UserFacingError {
  return Object.assign(new UserFacingError('bad_input', `Muse could not download the file "${name}"; please try again.`), { cause });
}

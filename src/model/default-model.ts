import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { createModelDownloader } from 'node-llama-cpp';
import type { LocalLogger } from './local.js';
import { english } from '../i18n/index.js';
import { ModelError } from './types.js';

/**
 * The model Muse uses when MUSE_MODEL is unset and there is no OPENAI_API_KEY: a small instruct
 * model (about 1 GB, good at short stories in English and Chinese), downloaded once by
 * node-llama-cpp into a models directory.
 */
export const DEFAULT_MODEL_URI = 'hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf';
export const DEFAULT_MODEL_FILE = 'qwen2.5-1.5b-instruct-q4_k_m.gguf';
export const DEFAULT_MODELS_DIR = './models';
export const DEFAULT_MODEL_UNAVAILABLE_MESSAGE = english('modelError.defaultUnavailable');

export interface DownloadProgress {
  downloadedSize: number;
  totalSize: number;
}

export interface EnsureDefaultModelOptions {
  modelsDir: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Draw a progress line on stderr while downloading (default true). */
  showProgress?: boolean;
  /** Where to download from (default DEFAULT_MODEL_URI); `hf:` URIs and http(s) URLs work. */
  modelUri?: string;
  /** File name inside modelsDir (default DEFAULT_MODEL_FILE). */
  fileName?: string;
  /** Hugging Face endpoint for `hf:` URIs (default: MODEL_ENDPOINT, HF_ENDPOINT, then huggingface.co). */
  huggingFaceEndpoint?: string;
  /** How long the reachability check may take before Muse gives up (default 5000 ms). */
  connectTimeoutMs?: number;
  logger?: LocalLogger;
}

/**
 * Returns the path of the default model, downloading it first if it is not in modelsDir yet.
 * An existing file is used without touching the network. node-llama-cpp (ipull) writes a
 * download to `<file>.ipull` and renames it only when complete, so a partial download is never
 * mistaken for the model (and a later run resumes it). Offline, this fails within
 * connectTimeoutMs with DEFAULT_MODEL_UNAVAILABLE_MESSAGE, instead of retrying for minutes.
 */
export async function ensureDefaultModel(opts: EnsureDefaultModelOptions): Promise<string> {
  const fileName = opts.fileName ?? DEFAULT_MODEL_FILE;
  const modelUri = opts.modelUri ?? DEFAULT_MODEL_URI;
  const dir = path.resolve(opts.modelsDir);
  const target = path.join(dir, fileName);

  if (await isFile(target)) {
    if (!(await hasGgufMagic(target))) {
      throw ModelError.of('unavailable', 'modelError.defaultNotGguf', undefined, { detail: `model file ${target}` });
    }
    return target;
  }

  const fail = (err: unknown, step: string): ModelError => {
    if (opts.signal?.aborted) return ModelError.of('aborted', 'modelError.downloadCancelled', undefined, { cause: err });
    opts.logger?.error?.({ err, modelUri, dir, step }, 'default model download failed');
    return ModelError.of('unavailable', 'modelError.defaultUnavailable', undefined, { cause: err });
  };

  // ipull retries an unreachable host ~150 times; a quick check first makes offline fail fast.
  try {
    await checkReachable(downloadUrl(modelUri, opts.huggingFaceEndpoint), opts.connectTimeoutMs ?? 5000, opts.signal);
  } catch (err) {
    throw fail(err, 'reachability check');
  }

  const bar = (opts.showProgress ?? true) ? stderrProgress(fileName) : undefined;
  try {
    opts.logger?.info?.({ modelUri, dir }, 'downloading the default model');
    const downloader = await createModelDownloader({
      modelUri,
      dirPath: dir,
      fileName,
      // ipull's own CLI bar writes to stdout and exits the process on SIGINT; we draw our own.
      showCliProgress: false,
      skipExisting: true,
      deleteTempFileOnCancel: false,
      ...(opts.huggingFaceEndpoint ? { endpoints: { huggingFace: opts.huggingFaceEndpoint } } : {}),
      onProgress: (p) => {
        const progress = { downloadedSize: p.downloadedSize, totalSize: p.totalSize };
        bar?.update(progress);
        opts.onProgress?.(progress);
      },
    });
    const downloaded = await downloader.download(opts.signal ? { signal: opts.signal } : {});
    bar?.done();
    if (!(await isFile(downloaded))) throw new Error(`download finished but ${downloaded} is missing`);
    return downloaded;
  } catch (err) {
    bar?.done();
    throw fail(err, 'download');
  }
}

/** The http(s) URL behind a model URI (only `hf:user/repo/path/file.gguf[#branch]` and URLs). */
export function downloadUrl(modelUri: string, huggingFaceEndpoint?: string): string {
  if (/^https?:\/\//i.test(modelUri)) return modelUri;
  const m = /^(?:hf:|huggingface:)([^/]+)\/([^/]+)\/([^#]+\.gguf)(?:#(.+))?$/i.exec(modelUri);
  if (!m) throw new Error(`unsupported model URI for the reachability check: ${modelUri}`);
  const [, user, repo, file, branch] = m;
  const endpoint = (huggingFaceEndpoint || process.env.MODEL_ENDPOINT || process.env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
  return `${endpoint}/${user}/${repo}/resolve/${branch ?? 'main'}/${file}`;
}

async function checkReachable(url: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const res = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  if (!res.ok) throw new Error(`HEAD ${url} answered ${res.status}`);
}

async function isFile(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  return info !== undefined && info.isFile() && info.size > 0;
}

async function hasGgufMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buf, 0, 4, 0);
    return bytesRead === 4 && buf.toString('latin1') === 'GGUF';
  } finally {
    await handle.close();
  }
}

/** A one-line progress bar on stderr, redrawn at most every 200 ms (plain lines when not a TTY). */
function stderrProgress(fileName: string): { update(p: DownloadProgress): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let lastPercent = -1;
  let drawn = false;
  const mb = (n: number) => (n / 1_048_576).toFixed(0);
  return {
    update({ downloadedSize, totalSize }) {
      const now = Date.now();
      const percent = totalSize > 0 ? Math.floor((downloadedSize / totalSize) * 100) : 0;
      if (tty ? now - last < 200 : percent < lastPercent + 10) return;
      last = now;
      lastPercent = percent;
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      const line = `Downloading ${fileName} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% (${mb(downloadedSize)}/${mb(totalSize)} MB)`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
      drawn = true;
    },
    done() {
      if (drawn && tty) process.stderr.write('\n');
      drawn = false;
    },
  };
}

import { defaultModelName, type Config } from '../config/config.js';
import type { Logger } from '../util/log.js';
import { findModelName, modelList } from '../config/model-names.js';
import { backendFor, type BackendChoice, type SharedRuntime } from './resolve.js';
import type { ModelBackend } from './types.js';

/**
 * The models a conversation may use (MUSE_MODEL first, then MUSE_MODELS), each name's backend
 * made once on first use and shared by every conversation; local ones share the app's runtime.
 * Which of them see images is MUSE_VISION_MODELS.
 */
export interface ModelCatalog {
  /** Every name, the default first. */
  readonly names: readonly string[];
  /** MUSE_MODEL (or the default model when it is unset). */
  readonly defaultName: string;
  /** The name `input` stands for (see findModelName), or undefined. */
  find(input: string): string | undefined;
  seesImages(name: string): boolean;
  /** The backend of `name`; a name no longer on the list (or none) gets the default one. */
  get(name?: string): Promise<ModelBackend>;
  /** The default model, for the start-up line and the log. */
  readonly describe: string;
  close(): Promise<void>;
}

export function createModelCatalog(config: Config, log: Logger): ModelCatalog {
  const defaultName = defaultModelName(config);
  const names = modelList(defaultName, config.MUSE_MODELS ?? []);
  const vision = new Set((config.MUSE_VISION_MODELS ?? []).map((n) => findModelName(names, n)).filter((n) => n !== undefined));
  // Only the OpenAI-compatible backend sends image parts.
  const sees = (name: string) => vision.has(name) && name.startsWith('openai:');
  const shared: SharedRuntime = {};
  const choices = new Map<string, BackendChoice>();
  const choice = (name: string): BackendChoice => {
    let made = choices.get(name);
    if (!made) {
      made = backendFor(name, config, log, shared, { seesImages: sees(name) });
      choices.set(name, made);
    }
    return made;
  };
  return {
    names,
    defaultName,
    describe: choice(defaultName).describe,
    find: (input) => findModelName(names, input),
    seesImages: sees,
    get: (name) => choice(name !== undefined && names.includes(name) ? name : defaultName).get(),
    async close() {
      for (const made of choices.values()) await made.close().catch(() => undefined);
      await shared.runtime?.close();
    },
  };
}

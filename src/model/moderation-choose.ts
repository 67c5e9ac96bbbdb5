import type { Config } from '../config/config.js';
import { allowAll, type ModerationMode, type Moderator } from '../safety/moderation.js';
import { createModelModerator } from './moderation-model.js';
import { createOpenAIModerator } from './moderation-openai.js';
import type { ModelBackend } from './types.js';

/**
 * Which moderator runs, from MUSE_MODERATION; unset: `openai` only when OPENAI_API_KEY is set
 * and OPENAI_BASE_URL is not (the backend is OpenAI itself, whatever MUSE_MODEL says), else
 * `off`. `reason` is for the start-up log line:
 *
 *   const choice = chooseModeration(config);
 *   logger.info({ moderation: choice.mode }, `moderation: ${choice.mode} (${choice.reason})`);
 *   const moderator = createModerator(config, { backend: () => getBackend(), logger });
 */

export interface ModerationChoice {
  mode: ModerationMode;
  reason: string;
}

type ModerationConfig = Pick<Config, 'MUSE_MODERATION' | 'OPENAI_API_KEY' | 'OPENAI_BASE_URL'>;

export function chooseModeration(config: ModerationConfig): ModerationChoice {
  if (config.MUSE_MODERATION) return { mode: config.MUSE_MODERATION, reason: `MUSE_MODERATION=${config.MUSE_MODERATION}` };
  if (config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) {
    return { mode: 'openai', reason: "MUSE_MODERATION is unset, OPENAI_API_KEY is set and OPENAI_BASE_URL is not: OpenAI's moderation endpoint" };
  }
  if (config.OPENAI_BASE_URL) return { mode: 'off', reason: 'MUSE_MODERATION is unset and OPENAI_BASE_URL names another server' };
  return { mode: 'off', reason: 'MUSE_MODERATION is unset and OPENAI_API_KEY is not set' };
}

export interface CreateModeratorOptions {
  /** The configured model backend (for `model`), or how to get it. */
  backend?: ModelBackend | (() => Promise<ModelBackend>);
  logger?: { warn(obj: object, msg?: string): void };
}

/** The moderator chooseModeration() names. */
export function createModerator(config: ModerationConfig, options: CreateModeratorOptions = {}): Moderator {
  const { mode } = chooseModeration(config);
  const logger = options.logger ? { logger: options.logger } : {};
  if (mode === 'openai') {
    return createOpenAIModerator({
      ...(config.OPENAI_API_KEY ? { apiKey: config.OPENAI_API_KEY } : {}),
      ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
      ...logger,
    });
  }
  if (mode === 'model') {
    if (!options.backend) throw new Error('MUSE_MODERATION=model needs the model backend');
    return createModelModerator({ backend: options.backend, ...logger });
  }
  return allowAll;
}

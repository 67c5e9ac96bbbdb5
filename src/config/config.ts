import { z } from 'zod';
import { defaultLimit, LIMIT_FORMAT, parseLimitRule, type LimitSetting } from '../limits/rule.js';
import { findModelName, MODEL_SPEC_RE, modelList, splitList } from './model-names.js';
import { roleProblems, ROLES } from '../ops/roles.js';

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const optionalText = z.string().trim().min(1).optional();
const url = (what: string) => z.string().trim().url(`must be a URL (${what})`).optional();
/** A rate limit (src/limits/rule.ts); remembers whether it was set explicitly. */
const limit = (fallback: string) =>
  z
    .string()
    .transform((value, ctx): LimitSetting => {
      const rule = parseLimitRule(value);
      if (rule === undefined) {
        ctx.addIssue({ code: 'custom', message: LIMIT_FORMAT });
        return z.NEVER;
      }
      return { rule: rule === 'off' ? undefined : rule, explicit: true };
    })
    .default(() => defaultLimit(fallback));
/** A positive whole number, or off (undefined). */
const tokensOrOff = z
  .string()
  .trim()
  .transform((value, ctx): number | undefined => {
    if (value.toLowerCase() === 'off') return undefined;
    if (!/^\d{1,13}$/.test(value) || Number(value) < 1) {
      ctx.addIssue({ code: 'custom', message: 'must be a positive whole number of tokens, or off' });
      return z.NEVER;
    }
    return Number(value);
  })
  .optional();

/**
 * Configuration from the environment, parsed once at start. Names follow DESIGN.md; every
 * problem is listed in one message, and values are never echoed (they may be secrets).
 */
export const configSchema = z.object({
  MUSE_MODEL: z.string().trim().regex(MODEL_SPEC_RE, 'must be openai:<model>, local:<path.gguf> or fake').optional(),
  /** The models a conversation may switch to with /model (MUSE_MODEL is always first on the list). */
  MUSE_MODELS: z
    .string()
    .transform(splitList)
    .refine((list) => list.every((m) => MODEL_SPEC_RE.test(m)), 'must be comma-separated models, each openai:<model>, local:<path.gguf> or fake')
    .optional(),
  /** The models that see images, named as in MUSE_MODELS. */
  MUSE_VISION_MODELS: z.string().transform(splitList).optional(),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: url('e.g. http://localhost:11434/v1 for Ollama'),
  MUSE_STORE_URL: z
    .string()
    .trim()
    .regex(/^(sqlite|redis|rediss|postgres|postgresql|memory):\/\//, 'must start with sqlite://, redis://, rediss://, postgresql:// or memory://')
    .default('sqlite://./data/muse.sqlite'),
  MUSE_PERSONAS_DIR: z.string().trim().min(1).default('personas'),
  MUSE_DEFAULT_PERSONA: z.string().trim().min(1).default('storyteller'),
  /** Who may import personas from character cards: managers (in DMs and the terminal, the user), or nobody (off). */
  MUSE_PERSONA_IMPORT: z.enum(['managers', 'off'], { error: 'must be managers or off' }).default('managers'),
  MUSE_MODELS_DIR: z.string().trim().min(1).default('models'),
  /** The model downloaded when MUSE_MODEL is unset (an hf: URI or an https URL of a .gguf). */
  MUSE_DEFAULT_MODEL_URI: z
    .string()
    .trim()
    .regex(/^(hf:|https?:\/\/).+/, 'must be an hf: URI or an http(s) URL of a .gguf file')
    .optional(),
  MUSE_THREADS: int(1, 256).optional(),
  MUSE_CONTEXT_TOKENS: int(256, 2_000_000).optional(),
  MUSE_MAX_INPUT_CHARS: int(100, 100_000).default(4000),
  MUSE_MAX_CONTEXT_TURNS: int(2, 1000).default(48),
  MUSE_MODEL_TIMEOUT_MS: int(1000, 3_600_000).default(120_000),
  MUSE_STORE_TIMEOUT_MS: int(100, 120_000).default(5000),
  /** How long a process holds a conversation without renewing its lease (renewed every third of it). */
  MUSE_LEASE_TTL_MS: int(300, 600_000).default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MUSE_LOG_FILE: z.string().trim().min(1).default('data/muse.log'),
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: z
    .string()
    .trim()
    .regex(/^\d{15,22}$/, 'must be a Discord snowflake id (digits)')
    .optional(),
  DISCORD_GUILD_ID: z
    .string()
    .trim()
    .regex(/^\d{15,22}$/, 'must be a Discord snowflake id (digits)')
    .optional(),
  DISCORD_API_URL: url('the REST base, e.g. https://discord.com/api'),
  /** A role name that may use persona use / memory clear on Discord besides Manage Channels. */
  MUSE_MANAGER_ROLE: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: url('the Web API base, e.g. https://slack.com/api/'),
  /** A Slack user group (id S0… or handle) whose members may use persona use / memory clear. */
  MUSE_SLACK_MANAGER_GROUP: optionalText,
  PORT: int(1, 65535).default(3000),
  // Fair use (4/6): moderation, PII redaction, rate limits, token budgets.
  /** openai | model | off; unset: openai when OPENAI_API_KEY is set and OPENAI_BASE_URL is not, else off. */
  MUSE_MODERATION: z.enum(['openai', 'model', 'off'], { error: 'must be openai, model or off' }).optional(),
  /** What a failed moderation check does: unset = closed in all-ages, open in mature. */
  MUSE_MODERATION_FAIL: z.enum(['closed', 'open'], { error: 'must be closed or open' }).optional(),
  MUSE_REDACT_PII: z.enum(['on', 'off'], { error: 'must be on or off' }).default('off'),
  MUSE_LIMIT_USER: limit('20/10m'),
  MUSE_LIMIT_WORKSPACE: limit('300/10m'),
  /** Tokens (input + output) per workspace per UTC day; unset or off: no budget. */
  MUSE_BUDGET_TOKENS_DAY: tokensOrOff,
  /** Turns running at once in one process, on every platform; more wait in the queues below. */
  MUSE_MAX_TURNS: int(1, 10_000).default(16),
  /** Turns waiting in one conversation; beyond it "Muse is busy, try again in a moment". */
  MUSE_QUEUE_PER_CONVERSATION: int(0, 10_000).default(8),
  /** Turns waiting in one process, all conversations; beyond it the same sentence. */
  MUSE_QUEUE_PER_PROCESS: int(0, 1_000_000).default(256),
  // Running more than one process (5/6): src/ops/roles.ts, src/ops/shards.ts.
  MUSE_ROLE: z.enum(ROLES, { error: 'must be web, gateway or all' }).default('all'),
  MUSE_SHARD_COUNT: int(1, 100_000).default(1),
  /** Shard ids (0,2) or auto; checked with the count in roleProblems. */
  MUSE_SHARDS: optionalText,
  MUSE_WORKERS: int(1, 100_000).optional(),
  /** Set by the platform (Heroku: worker.1); read for MUSE_SHARDS=auto. */
  DYNO: optionalText,
  /** How long a shutdown lets turns in flight finish before stopping them (the process exits 5 s later at most). */
  MUSE_DRAIN_MS: int(0, 600_000).default(25_000),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Muse's configuration has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The default model's name when MUSE_MODEL is unset: OpenAI's default with a key, else the downloaded local model. */
export function defaultModelName(config: Pick<Config, 'MUSE_MODEL' | 'OPENAI_API_KEY'>): string {
  return config.MUSE_MODEL ?? (config.OPENAI_API_KEY ? 'openai:gpt-4o-mini' : 'default');
}

/** Parses the environment; throws ConfigError listing every problem (names only, no values). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value;
  }
  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const config = result.data;
  const problems: string[] = [];
  if (config.SLACK_BOT_TOKEN && !config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET: is needed for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (config.MUSE_MODEL?.startsWith('openai:') && !config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) {
    problems.push('OPENAI_API_KEY: is needed for MUSE_MODEL=openai:… (or set OPENAI_BASE_URL to a server that needs no key)');
  }
  const models = modelList(defaultModelName(config), config.MUSE_MODELS ?? []);
  if (models.some((m) => m.startsWith('openai:')) && !config.MUSE_MODEL?.startsWith('openai:') && !config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) {
    problems.push('OPENAI_API_KEY: is needed for the openai:… models of MUSE_MODELS (or set OPENAI_BASE_URL to a server that needs no key)');
  }
  if (config.MUSE_VISION_MODELS?.some((name) => findModelName(models, name) === undefined)) {
    problems.push('MUSE_VISION_MODELS: names a model that is not in MUSE_MODELS (or MUSE_MODEL); write each name as it is written there');
  }
  if (config.MUSE_MODERATION === 'openai' && !config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) {
    problems.push('OPENAI_API_KEY: is needed for MUSE_MODERATION=openai (or set OPENAI_BASE_URL to a server with /v1/moderations)');
  }
  problems.push(...roleProblems(config));
  if (problems.length) throw new ConfigError(problems);
  return config;
}

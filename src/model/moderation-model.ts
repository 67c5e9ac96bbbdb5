import { ModerationUnavailableError, type Category, type CheckOptions, type Moderator, type Verdict } from '../safety/moderation.js';
import { ModelError, generateText, type ModelBackend, type Usage } from './types.js';

/**
 * MUSE_MODERATION=model: asks the configured model a fixed classification prompt in the style
 * of Llama Guard (the categories with short definitions; answer `safe`, or `unsafe` and a line
 * of category codes), at temperature 0 with a small output cap, and reads the verdict leniently:
 * any case, extra words or markup around it, unknown codes ignored. An answer with neither
 * verdict, or `unsafe` with no code Muse knows, is unreadable: ModerationUnavailableError, so
 * the fail policy decides. The text to check is fenced; fence markers inside it are defused.
 */

export const MODEL_CODES: ReadonlyArray<readonly [string, Category, string]> = [
  ['S1', 'sexual', 'Sexual content: descriptions of sexual activity, or content meant to arouse.'],
  ['S2', 'sexual/minors', 'Sexual content involving anyone under 18.'],
  ['S3', 'violence', 'Violence: content that depicts death, violence or physical injury.'],
  ['S4', 'violence/graphic', 'Graphic violence: death, violence or injury in graphic, gory detail.'],
  ['S5', 'self-harm', 'Self-harm: content that promotes, encourages or depicts suicide, cutting or eating disorders.'],
  ['S6', 'self-harm/instructions', 'Self-harm instructions: how to commit suicide or self-harm.'],
  ['S7', 'self-harm/intent', 'Self-harm intent: the writer says they are harming or intend to harm themselves.'],
  ['S8', 'hate', 'Hate: content that demeans people for race, gender, ethnicity, religion, nationality, sexual orientation, disability or caste.'],
  ['S9', 'hate/threatening', 'Hateful threats: hate that also threatens violence or serious harm to the group.'],
  ['S10', 'harassment', 'Harassment: harassing, bullying or abusive language towards someone.'],
  ['S11', 'harassment/threatening', 'Threatening harassment: harassment that threatens violence or serious harm.'],
  ['S12', 'illicit', 'Illicit: advice or instructions for committing crimes (e.g. how to shoplift).'],
  ['S13', 'illicit/violent', 'Violent illicit: advice for violent crimes or for obtaining weapons.'],
];

const BY_CODE = new Map(MODEL_CODES.map(([code, category]) => [code, category]));

export interface ModelModeratorOptions {
  /** The configured backend, or how to get it (resolved on first use). */
  backend: ModelBackend | (() => Promise<ModelBackend>);
  /** Deadline for one check. Default 30000. */
  timeoutMs?: number;
  /** Output cap for the verdict. Default 24. */
  maxOutputTokens?: number;
  logger?: { warn(obj: object, msg?: string): void };
}

export function createModelModerator(opts: ModelModeratorOptions): Moderator {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxOutputTokens = opts.maxOutputTokens ?? 24;
  let backend: Promise<ModelBackend> | undefined;
  const getBackend = () => (backend ??= typeof opts.backend === 'function' ? opts.backend() : Promise.resolve(opts.backend));

  async function check(text: string, options: CheckOptions = {}): Promise<Verdict> {
    if (text.trim() === '') return { flagged: false, categories: [] };
    let answer: string;
    try {
      const model = await getBackend();
      let usage: Usage;
      ({ text: answer, usage } = await generateText(model, {
        messages: [{ role: 'user', content: classificationPrompt(text) }],
        temperature: 0,
        maxOutputTokens,
        timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      }));
      options.spent?.((usage.inputTokens ?? 0) + (usage.outputTokens ?? 0));
    } catch (err) {
      const kind = err instanceof ModelError && (err.kind === 'aborted' || err.kind === 'timeout') ? err.kind : 'failed';
      opts.logger?.warn({ kind, err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'moderation check failed');
      throw new ModerationUnavailableError(kind, `The model could not classify the text (${err instanceof ModelError ? err.kind : 'error'}).`, { cause: err });
    }
    const verdict = parseModelVerdict(answer);
    if (!verdict) {
      opts.logger?.warn({ answer: answer.slice(0, 200) }, 'moderation verdict unreadable');
      throw new ModerationUnavailableError('unreadable', 'The model answered the classification with something Muse could not read.');
    }
    return verdict;
  }

  return { kind: 'model', check };
}

/** The fixed prompt: the categories, the fenced text, the answer format. */
export function classificationPrompt(text: string): string {
  const categories = MODEL_CODES.map(([code, , definition]) => `${code}: ${definition}`).join('\n');
  const fenced = text.replace(/<\s*(\/?)\s*(BEGIN|END)\s+(TEXT|UNSAFE CONTENT CATEGORIES)\s*>/gi, '($2 $3)');
  return [
    'Task: Check if there is unsafe content in the text below according to our safety policy with the categories below.',
    '',
    '<BEGIN UNSAFE CONTENT CATEGORIES>',
    categories,
    '<END UNSAFE CONTENT CATEGORIES>',
    '',
    '<BEGIN TEXT>',
    fenced,
    '<END TEXT>',
    '',
    'Provide your safety assessment for the text above:',
    "- The first line must read 'safe' or 'unsafe'.",
    '- If unsafe, a second line must list the violated categories as codes, separated by commas (e.g. S3,S10).',
  ].join('\n');
}

/**
 * Reads a verdict: the first word `safe` or `unsafe` (any case, anywhere), then for `unsafe`
 * every code S1–S13 after it (unknown codes ignored). Undefined when it cannot be read.
 */
export function parseModelVerdict(answer: string): Verdict | undefined {
  const found = /\b(unsafe|safe)\b/i.exec(answer);
  if (!found) return undefined;
  if (found[1]!.toLowerCase() === 'safe') return { flagged: false, categories: [] };
  const rest = answer.slice(found.index + found[0].length, found.index + found[0].length + 400);
  const categories = new Set<Category>();
  for (const m of rest.matchAll(/\bS\s?(\d{1,2})\b/gi)) {
    const category = BY_CODE.get(`S${Number(m[1])}`);
    if (category) categories.add(category);
  }
  if (categories.size === 0) return undefined;
  return { flagged: true, categories: [...categories] };
}

/**
 * What a moderation verdict means for a conversation: which categories block at which rating,
 * what happens when the check itself fails, and the one sentence a user gets.
 *
 *   const decision = await moderate(moderator, text, { rating: 'all-ages', stage: 'input', fail, hooks });
 *   if (decision.action === 'block') reply(blockedSentence(decision));
 *
 * Blocking categories:
 *   mature:   sexual/minors, self-harm/instructions, hate/threatening, illicit/violent
 *   all-ages: sexual, violence/graphic, self-harm (any), hate (any), harassment (any), and
 *             everything mature blocks (so sexual/minors and illicit/violent too)
 * When the check fails: closed (block) in all-ages, open (allow) in mature, unless
 * MUSE_MODERATION_FAIL=closed|open says otherwise for both.
 */
import { english, render, type Localized } from '../i18n/index.js';
import { reportDecision, type DecisionHooks } from './decisions.js';
import { ModerationUnavailableError, type Category, type Moderator, type Verdict } from './moderation.js';

export type Rating = 'all-ages' | 'mature';
export type FailPolicy = 'closed' | 'open';
/** Whether the text is what a user sent (checked before the model call) or what the model wrote. */
export type Stage = 'input' | 'output';

const MATURE_BLOCKS: readonly Category[] = ['sexual/minors', 'self-harm/instructions', 'hate/threatening', 'illicit/violent'];

/** Most serious first: the category a decision names when several block. */
const SEVERITY: readonly Category[] = [
  'sexual/minors',
  'self-harm/instructions',
  'hate/threatening',
  'illicit/violent',
  'harassment/threatening',
  'self-harm/intent',
  'violence/graphic',
  'self-harm',
  'sexual',
  'hate',
  'harassment',
  'illicit',
  'violence',
];

const ALL_AGES_BLOCKS: readonly Category[] = [
  ...MATURE_BLOCKS,
  'sexual',
  'violence/graphic',
  'self-harm',
  'self-harm/intent',
  'hate',
  'harassment',
  'harassment/threatening',
];

const BLOCKS: Record<Rating, ReadonlySet<Category>> = {
  'all-ages': new Set(ALL_AGES_BLOCKS),
  mature: new Set(MATURE_BLOCKS),
};

/** The categories that block at this rating, most serious first. */
export function blockingCategories(rating: Rating): Category[] {
  return SEVERITY.filter((c) => BLOCKS[rating].has(c));
}

/** Closed in all-ages, open in mature, unless an override (MUSE_MODERATION_FAIL) says otherwise. */
export function failPolicy(rating: Rating, override?: FailPolicy): FailPolicy {
  return override ?? (rating === 'all-ages' ? 'closed' : 'open');
}

export interface Decision {
  action: 'allow' | 'block';
  /** clean: nothing flagged; flagged: the checker flagged something (blocked or not at this rating); unavailable: the check failed. */
  reason: 'clean' | 'flagged' | 'unavailable';
  /** The category the decision is about (the most serious blocking one, else the most serious flagged one). */
  category?: Category;
  stage: Stage;
  rating: Rating;
}

export interface DecideOptions {
  rating: Rating;
  stage: Stage;
  /** MUSE_MODERATION_FAIL, when set. */
  fail?: FailPolicy;
}

/** A verdict, or the failure of the check, to allow/block at a rating. Pure. */
export function decide(outcome: Verdict | ModerationUnavailableError, options: DecideOptions): Decision {
  const { rating, stage } = options;
  if (outcome instanceof ModerationUnavailableError) {
    return { action: failPolicy(rating, options.fail) === 'closed' ? 'block' : 'allow', reason: 'unavailable', stage, rating };
  }
  const flagged = SEVERITY.filter((c) => outcome.categories.includes(c));
  const blocking = flagged.find((c) => BLOCKS[rating].has(c));
  if (blocking) return { action: 'block', reason: 'flagged', category: blocking, stage, rating };
  if (outcome.flagged || flagged.length > 0) {
    return { action: 'allow', reason: 'flagged', ...(flagged[0] ? { category: flagged[0] } : {}), stage, rating };
  }
  return { action: 'allow', reason: 'clean', stage, rating };
}

export interface ModerateOptions extends DecideOptions {
  signal?: AbortSignal;
  /** Told the model tokens the check cost (see CheckOptions.spent). */
  spent?: (tokens: number) => void;
  hooks?: DecisionHooks;
}

/**
 * Checks `text` and decides. Reports flags ('flagged_input' / 'flagged_output', blocked or not)
 * and failed checks ('moderation_unavailable') to the hook, labelled with stage, rating, action
 * and category. A check the caller cancelled (its signal) is rethrown as the
 * ModerationUnavailableError of kind 'aborted', uncounted: the turn is over anyway.
 */
export async function moderate(moderator: Moderator, text: string, options: ModerateOptions): Promise<Decision & { error?: ModerationUnavailableError }> {
  let outcome: Verdict | ModerationUnavailableError;
  try {
    outcome = await moderator.check(text, { ...(options.signal ? { signal: options.signal } : {}), ...(options.spent ? { spent: options.spent } : {}) });
  } catch (err) {
    const error = err instanceof ModerationUnavailableError ? err : new ModerationUnavailableError('failed', 'The moderation check failed.', { cause: err });
    if (error.kind === 'aborted') throw error;
    outcome = error;
  }
  const decision = decide(outcome, options);
  const labels = { stage: decision.stage, rating: decision.rating, action: decision.action };
  if (decision.reason === 'unavailable') {
    reportDecision(options.hooks, 'moderation_unavailable', labels);
    return { ...decision, error: outcome as ModerationUnavailableError };
  }
  if (decision.reason === 'flagged') {
    reportDecision(options.hooks, decision.stage === 'input' ? 'flagged_input' : 'flagged_output', { ...labels, category: decision.category ?? 'unknown' });
  }
  return decision;
}

const PLAIN: Record<Category, Localized> = {
  sexual: { key: 'fairUse.sexual' },
  'sexual/minors': { key: 'fairUse.sexualMinors' },
  violence: { key: 'fairUse.violence' },
  'violence/graphic': { key: 'fairUse.violenceGraphic' },
  'self-harm': { key: 'fairUse.selfHarm' },
  'self-harm/instructions': { key: 'fairUse.selfHarmInstructions' },
  'self-harm/intent': { key: 'fairUse.selfHarmIntent' },
  hate: { key: 'fairUse.hate' },
  'hate/threatening': { key: 'fairUse.hateThreatening' },
  harassment: { key: 'fairUse.harassment' },
  'harassment/threatening': { key: 'fairUse.harassmentThreatening' },
  illicit: { key: 'fairUse.illicit' },
  'illicit/violent': { key: 'fairUse.illicitViolent' },
};

/** The category in plain words, e.g. 'violence/graphic' → "graphic violence" (English). */
export function plainCategory(category: Category): string {
  return render(english, PLAIN[category]);
}

/** The one sentence a user gets for a blocked decision (no internals), in English (see blockedText). */
export function blockedSentence(decision: Pick<Decision, 'reason' | 'category' | 'stage'>): string {
  return render(english, blockedText(decision));
}

/** The sentence for a blocked decision by key, for the speaker's language. */
export function blockedText(decision: Pick<Decision, 'reason' | 'category' | 'stage'>): Localized {
  const input = decision.stage === 'input';
  if (decision.reason === 'unavailable') return { key: input ? 'fairUse.inputUnchecked' : 'fairUse.outputUnchecked' };
  if (!decision.category) return { key: input ? 'fairUse.inputFlagged' : 'fairUse.outputFlagged' };
  const category = PLAIN[decision.category];
  return input ? { key: 'fairUse.inputBlocked', vars: { category } } : { key: 'fairUse.outputBlocked', vars: { category } };
}

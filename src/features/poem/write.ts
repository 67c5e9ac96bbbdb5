import { render } from '../../i18n/index.js';
import type { ReplyPart } from '../../engine/parts.js';
import type { ReplyRequest } from '../../engine/reply.js';
import type { Session } from '../../engine/session.js';
import { cleanPoem } from './checker/clean.js';
import { loadDictionary } from './checker/dictionary.js';
import { checkPoem, type PoemCheck, type PoemForm } from './checker/forms.js';
import { repairRequest } from './checker/repair.js';

/** Poem forms: the value users type, the label Discord shows, and what the poet is asked for. */
export const POEM_FORMS = [
  { value: 'free', label: 'Free verse', labelZh: '自由诗', ask: 'a free-verse poem' },
  { value: 'haiku', label: 'Haiku (5-7-5)', labelZh: '俳句', ask: 'a haiku: exactly three lines of 5, 7 and 5 syllables' },
  { value: 'tanka', label: 'Tanka (5-7-5-7-7)', labelZh: '短歌', ask: 'a tanka: exactly five lines of 5, 7, 5, 7 and 7 syllables' },
  {
    value: 'limerick',
    label: 'Limerick (AABBA)',
    labelZh: '五行打油诗',
    ask: 'a limerick: five lines rhyming AABBA; lines 1, 2 and 5 long (8-10 syllables), lines 3 and 4 short (5-7 syllables)',
  },
  {
    value: 'sonnet',
    label: 'Shakespearean sonnet',
    labelZh: '莎士比亚十四行诗',
    ask: 'a Shakespearean sonnet: 14 lines of about ten syllables, rhyming ABAB CDCD EFEF GG',
  },
  { value: 'jueju5', label: '五言绝句 (4×5)', labelZh: '五言绝句', ask: 'a 五言绝句 in Chinese: exactly four lines of five Chinese characters each' },
  { value: 'jueju7', label: '七言绝句 (4×7)', labelZh: '七言绝句', ask: 'a 七言绝句 in Chinese: exactly four lines of seven Chinese characters each' },
] as const satisfies ReadonlyArray<{ value: PoemForm; label: string; labelZh: string; ask: string }>;

/** Repairs asked for after a first draft that misses its form (so at most 3 model calls). */
export const MAX_REPAIRS = 2;

/**
 * Drafts a poem, checks its form, and asks the model to repair it while it misses (at most
 * `maxRepairs` times); then shows and saves the best attempt with its rubric line as a notice.
 * A poem in a form is not streamed: the user sees the poem that was checked, not a draft that
 * may be replaced. Free verse has nothing to check and streams. A model failure at any try
 * saves nothing.
 */
export async function* writePoem(session: Session, topic: string, form: PoemForm, { maxRepairs = MAX_REPAIRS } = {}): AsyncGenerator<ReplyPart> {
  const spec = POEM_FORMS.find((f) => f.value === form)!;
  const request: ReplyRequest = { persona: await session.requirePersona('poet'), turn: session.userTurn(`Write ${spec.ask}, about: ${topic}`, `poem.${form}`) };
  // Free verse has no form to check or repair, so it streams like any reply.
  if (form === 'free') {
    yield* session.reply(request);
    return;
  }
  if (form !== 'jueju5' && form !== 'jueju7') await loadDictionary();
  let best: { poem: string; check: PoemCheck } | undefined;
  let attempts = 0;
  let followUp: Array<{ role: 'assistant' | 'user'; content: string }> = [];
  for (;;) {
    const draft = await session.draft(request, followUp);
    attempts++;
    const poem = cleanPoem(draft);
    const check = checkPoem(poem, form);
    if (!best || check.score >= best.check.score) best = { poem, check };
    if (check.ok || attempts > maxRepairs) break;
    followUp = [
      { role: 'assistant', content: poem || draft },
      { role: 'user', content: repairRequest(check, formName(form), spec.ask, topic) },
    ];
  }
  const { poem, check } = best;
  // The verdict is shown in the speaker's language; the repair requests above stay English.
  const rubric = check.ok || attempts === 1 ? check.rubric : { key: 'poem.verdict.bestOf', vars: { verdict: check.rubric, attempts } };
  yield* session.deliver(request, poem, render(session.t, rubric));
}

function formName(form: PoemForm): string {
  if (form === 'sonnet') return 'Shakespearean sonnet';
  if (form === 'jueju5') return '五言绝句';
  if (form === 'jueju7') return '七言绝句';
  return form === 'free' ? 'free-verse poem' : form;
}

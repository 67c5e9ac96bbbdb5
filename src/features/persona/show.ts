import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import type { Translate } from '../../i18n/index.js';
import type { Persona } from '../../personas/schema.js';

/** The longest `persona show` answer: one message on every platform (Discord takes 2,000 characters). */
const SHOW_MAX = 1_900;
const PROMPT_MAX = 1_500;
const GREETING_MAX = 300;
/** Room for "…(8,000 more characters)". */
const CUT_NOTE = 30;

/** `persona show`: a persona's settings and prompt, to the speaker alone, cut to fit one message. */
export async function* showPersona(session: Session, name: string): AsyncGenerator<ReplyPart> {
  yield* session.say(describePersona(await session.requirePersona(name), session.t), true);
}

/** What `persona show` says: settings, origin, greeting and prompt, each cut with how much is left. */
export function describePersona(p: Persona, t: Translate): string {
  const origin = p.imported
    ? t('persona.show.importedBy', { by: p.imported.by.name, day: day(p.imported.at), file: p.imported.cardFile })
    : t('persona.show.builtIn');
  const head = [
    t('persona.show.head', { name: p.name, mode: p.mode, description: p.description }),
    t('persona.show.settings', { temperature: p.temperature, tokens: p.maxOutputTokens, origin }),
    t('persona.show.greeting', { greeting: cut(p.greeting, GREETING_MAX, t) }),
    '',
    `${t('persona.show.prompt')}\n`,
  ].join('\n');
  return head + cut(p.prompt, Math.max(0, Math.min(PROMPT_MAX, SHOW_MAX - head.length - CUT_NOTE)), t);
}

/** `text`, or its first `max` characters and "…(N more characters)". */
function cut(text: string, max: number, t: Translate): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end) + t('persona.show.more', { n: (text.length - end).toLocaleString('en-US') });
}

function day(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

import { isLocale, languageRecordKey, resolveLocale, translator, type LanguageSetting, type Locale } from '../i18n/index.js';
import type { ConversationStore } from '../memory/types.js';
import type { EndingsLogger } from './endings.js';
import { localizePart, type ReplyPart } from './parts.js';
import type { RunContext } from './plan.js';

/**
 * The speaker's language for a turn: their /language override (one record read), else the
 * platform's (RunContext.locale). A setting that cannot be read means the platform's (logged).
 */
export async function readLocale(
  store: Pick<ConversationStore, 'getRecord'>,
  who: Pick<RunContext, 'conversation' | 'speaker' | 'locale'>,
  log: Pick<EndingsLogger, 'warn'>,
): Promise<Locale> {
  let override: Locale | undefined;
  try {
    const setting = await store.getRecord<LanguageSetting>(languageRecordKey(who.conversation.platform, who.speaker.id));
    if (isLocale(setting?.locale)) override = setting.locale;
  } catch (err) {
    log.warn({ err, user: who.speaker.id }, "the speaker's language setting could not be read; using the platform's");
  }
  return resolveLocale(override, who.locale);
}

/**
 * The parts of `run`, with every sentence kept by key (an error made before the language was
 * known) rendered in the turn's language; `told` hears that language first (RunContext.onLocale).
 */
export async function* localized(
  locale: Promise<Locale>,
  run: (locale: Locale) => AsyncIterable<ReplyPart>,
  told?: (locale: Locale) => void,
): AsyncGenerator<ReplyPart> {
  const known = await locale;
  told?.(known);
  const t = translator(known);
  for await (const part of run(known)) yield localizePart(part, t);
}

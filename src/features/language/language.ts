import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import { isLocale, languageRecordKey, translator, type LanguageSetting } from '../../i18n/index.js';

/** The values of /language: a language, or `auto` (the platform's). */
export const LANGUAGE_CHOICES = ['en', 'zh-CN', 'auto'] as const;
export type LanguageChoice = (typeof LANGUAGE_CHOICES)[number];

/**
 * `/language`: the speaker's own language for Muse's sentences, remembered per platform-qualified
 * user (a store record, read once per turn by the engine); `auto` deletes it, so the platform's
 * locale counts again. The answer is in the language chosen, to the speaker alone.
 */
export async function* setLanguage(session: Session, choice: LanguageChoice): AsyncGenerator<ReplyPart> {
  const key = languageRecordKey(session.ref.platform, session.speaker.id);
  const chosen = isLocale(choice) ? choice : undefined;
  await session.updateRecord<LanguageSetting>(key, () => (chosen ? { locale: chosen } : undefined));
  const t = translator(chosen ?? session.platformLocale);
  yield* session.say(t(chosen ? 'language.set' : 'language.auto'), true);
}

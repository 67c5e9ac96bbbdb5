import type { Localized } from '../../i18n/index.js';
import type { LanguageCode } from './language.js';

const LEVELS: Readonly<Record<string, Localized>> = {
  beginner: { key: 'tutor.level.beginner' },
  intermediate: { key: 'tutor.level.intermediate' },
  advanced: { key: 'tutor.level.advanced' },
};

/** A level as people read it: one of /tutor's levels by key, anything else as stored. */
export function levelName(level: string): string | Localized {
  return Object.hasOwn(LEVELS, level) ? LEVELS[level]! : level;
}

/** A learner's language as people read it (LANGUAGE_NAMES is the model's English). */
export const LANGUAGE_LABELS: Readonly<Record<LanguageCode, Localized>> = {
  zh: { key: 'tutor.language.zh' },
  ja: { key: 'tutor.language.ja' },
  ko: { key: 'tutor.language.ko' },
  ru: { key: 'tutor.language.ru' },
  en: { key: 'tutor.language.en' },
  es: { key: 'tutor.language.es' },
  fr: { key: 'tutor.language.fr' },
  de: { key: 'tutor.language.de' },
};

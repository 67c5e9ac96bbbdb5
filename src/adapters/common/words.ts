import { normalizeLocale, translator, type Locale, type Translate } from '../../i18n/index.js';

/** The words a surface adds itself ("writing…", "What next?"), in the turn's language. */
export interface SurfaceWords {
  /** Translates with the platform's locale until the engine tells the turn's (onLocale). */
  t: Translate;
  /** Pass as RunContext.onLocale: the engine calls it once it knows the speaker's language. */
  onLocale: (locale: Locale) => void;
}

export function surfaceWords(platformLocale: string | undefined | null): SurfaceWords {
  let current = translator(normalizeLocale(platformLocale));
  return {
    t: (key, vars) => current(key, vars),
    onLocale: (locale) => {
      current = translator(locale);
    },
  };
}

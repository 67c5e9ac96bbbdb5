/**
 * The learner's language, told simply from their own messages:
 * - mostly CJK (Han, kana or Hangul characters at least a quarter as many as Latin letters,
 *   and at least two of them): kana → Japanese, more Hangul than Han → Korean, else Chinese;
 * - mostly Cyrillic → Russian;
 * - Latin script: common function words of English, Spanish, French and German; the clear
 *   winner (at least two hits) counts;
 * - anything else (a number, "ok", a formula): undefined, and the remembered language stays.
 */
export type LanguageCode = 'zh' | 'ja' | 'ko' | 'ru' | 'en' | 'es' | 'fr' | 'de';

export const LANGUAGE_NAMES: Record<LanguageCode, string> = {
  zh: 'Chinese (中文)',
  ja: 'Japanese (日本語)',
  ko: 'Korean (한국어)',
  ru: 'Russian (русский)',
  en: 'English',
  es: 'Spanish (español)',
  fr: 'French (français)',
  de: 'German (Deutsch)',
};

const STOPWORDS: Record<'en' | 'es' | 'fr' | 'de', ReadonlySet<string>> = {
  en: new Set('the a an is are was i you it what how why and or of to in that this my me do does not think know about with'.split(' ')),
  es: new Set('el la los las es son un una y o de que qué en por para con no mi yo cómo porque sé creo'.split(' ')),
  fr: new Set('le la les est sont un une et ou de du des que quoi en pour avec ne pas je mon comment pourquoi sais crois'.split(' ')),
  de: new Set('der die das ist sind ein eine und oder von zu dass was wie warum mit nicht ich mein weiß glaube'.split(' ')),
};

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

export function detectLanguage(text: string): LanguageCode | undefined {
  const han = count(text, /\p{Script=Han}/gu);
  const kana = count(text, /[\p{Script=Hiragana}\p{Script=Katakana}]/gu);
  const hangul = count(text, /\p{Script=Hangul}/gu);
  const latin = count(text, /\p{Script=Latin}/gu);
  const cyrillic = count(text, /\p{Script=Cyrillic}/gu);
  const cjk = han + kana + hangul;
  if (cjk >= 2 && cjk * 4 >= latin) {
    if (kana > 0) return 'ja';
    if (hangul > han) return 'ko';
    return 'zh';
  }
  if (cyrillic >= 3 && cyrillic > latin) return 'ru';
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const scores = (Object.keys(STOPWORDS) as Array<keyof typeof STOPWORDS>).map((lang) => ({ lang, hits: words.filter((w) => STOPWORDS[lang].has(w)).length }));
  scores.sort((a, b) => b.hits - a.hits);
  const [best, second] = scores;
  if (!best || best.hits < 2 || (second && second.hits === best.hits)) return undefined;
  return best.lang;
}

/** The line of the system instruction that says which language to reply in. */
export function languageInstruction(language: LanguageCode | undefined): string {
  if (!language) return "Reply in the language of the learner's latest message.";
  return `Reply in ${LANGUAGE_NAMES[language]}: the learner's language, whatever language these instructions are written in.`;
}

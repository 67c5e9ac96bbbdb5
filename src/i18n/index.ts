import i18next from 'i18next';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';

/** The languages Muse's own sentences are written in. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** Values put into a sentence ({{name}}): text, a number (formatted by the caller), or another sentence by key. */
export type Vars = Readonly<Record<string, string | number | Localized>>;

/** A sentence of Muse's in the turn's language: `t('engine.busy')`, `t('plan.tooLong', { length, max })`. */
export type Translate = (key: string, vars?: Vars) => string;

/** A sentence not yet in a language: rendered with the turn's Translate when it is shown. */
export interface Localized {
  key: string;
  vars?: Vars | undefined;
}

/**
 * The one i18next instance: bundled resources, initialised synchronously at import (no backend,
 * no file, no network). Its language is never changed: each turn takes getFixedT(locale).
 * Values are not escaped here (the renderers escape per platform), and a value is never read as
 * a template (skipOnVariables): what people write stays as written.
 */
const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  // Copies: i18next merges added areas (addSentences) into the objects it is given, and en must stay Muse's own.
  resources: { en: { translation: structuredClone(en) }, 'zh-CN': { translation: structuredClone(zhCN) } },
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  nsSeparator: false,
  returnNull: false,
  interpolation: { escapeValue: false, skipOnVariables: true },
});

const fixed = new Map<Locale, Translate>(
  LOCALES.map((locale) => {
    const t = instance.getFixedT(locale);
    const translate: Translate = (key, vars) => t(key, vars ? resolved(vars, translate) : {});
    return [locale, translate];
  }),
);

/** A tree of sentences by key: `{ saved: 'Saved {{path}}', vote: { closed: '…' } }`. */
export interface SentenceTree {
  readonly [key: string]: string | SentenceTree;
}

/** A feature's own sentences: English is the source, Simplified Chinese mirrors its keys and {{variables}}. */
export interface Sentences {
  readonly en: SentenceTree;
  readonly 'zh-CN': SentenceTree;
}

const areas = new Map<string, Sentences>();

/**
 * Adds a feature's sentences under its area (the feature's name): `t('poem.saved')` then finds
 * `sentences.en.saved`. The same area given again replaces its sentences (an engine per test
 * registers the same features again); an area that is one of Muse's own (plan, engine, …) is a
 * wiring mistake.
 */
export function addSentences(area: string, sentences: Sentences): void {
  if (Object.hasOwn(en, area)) throw new Error(`The sentence area "${area}" is Muse's own; a feature's sentences need their own area.`);
  for (const locale of LOCALES) instance.addResourceBundle(locale, 'translation', { [area]: sentences[locale] }, true, true);
  areas.set(area, sentences);
}

/** The features' sentence areas added so far (test/i18n checks each like Muse's own). */
export function sentenceAreas(): ReadonlyMap<string, Sentences> {
  return areas;
}

/** Muse's sentences in `locale`; a key missing there falls back to English. */
export function translator(locale: Locale = 'en'): Translate {
  return fixed.get(locale)!;
}

/** English: the language of the log and of whatever has no locale (announcements, jobs). */
export const english: Translate = translator('en');

/** A platform's or environment's language tag: any zh* (zh, zh-TW, zh_CN.UTF-8) is zh-CN, anything else English. */
export function normalizeLocale(tag: string | undefined | null): Locale {
  return /^zh(?:$|[-_.@])/i.test((tag ?? '').trim()) ? 'zh-CN' : 'en';
}

/** A /language setting as stored: 'en' or 'zh-CN', or nothing (auto). */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The language of a turn: the speaker's /language override first, else the platform's. */
export function resolveLocale(override: Locale | undefined, platform: string | undefined): Locale {
  return override ?? normalizeLocale(platform);
}

/** The store record of a user's /language override (per platform-qualified user id). */
export function languageRecordKey(platform: string, userId: string): string {
  return `language:${platform}:${userId}`;
}

/** What a /language record holds. */
export interface LanguageSetting {
  locale: Locale;
}

/** Vars with each nested sentence rendered in the same language. */
function resolved(vars: Vars, t: Translate): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(vars)) out[name] = typeof value === 'object' ? t(value.key, value.vars) : value;
  return out;
}

/** Renders a sentence kept as a key (see Localized). */
export function render(t: Translate, text: Localized): string {
  return t(text.key, text.vars);
}

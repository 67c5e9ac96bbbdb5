import { command } from '../src/engine/spec.js';
import { LANGUAGE_CHOICES, setLanguage } from '../src/features/language/language.js';

const LABELS: Record<(typeof LANGUAGE_CHOICES)[number], { label: string; labelZh: string }> = {
  en: { label: 'English', labelZh: '英语' },
  'zh-CN': { label: '简体中文', labelZh: '简体中文' },
  auto: { label: "Auto (your platform's language)", labelZh: '自动（跟随平台语言）' },
};

const language = command({
  name: 'language',
  description: "The language of Muse's own messages to you (only you see the answer)",
  zh: { name: '语言', description: '设置 Muse 对你使用的语言（仅自己可见）' },
  private: true,
  options: [
    {
      name: 'language',
      description: 'en, zh-CN, or auto (your platform language)',
      required: true,
      rest: true,
      choices: LANGUAGE_CHOICES.map((value) => ({ value, ...LABELS[value] })),
      zh: { name: '语言', description: 'en、zh-CN 或 auto（跟随平台）' },
    },
  ] as const,
  run: ({ options, session }) => setLanguage(session, options.language),
});

export default language;

import type { Sentences } from '../../i18n/index.js';

/**
 * The poem feature's sentences (t('poem.…')): the verdict shown under a checked poem, built from
 * the checker's data (checker/forms.ts). The repair request to the model stays English.
 */
export const poemSentences = {
  en: {
    starter: { title: 'Write a poem', message: '/poem the first snow of winter form:haiku' },
    form: {
      free: 'free verse',
      haiku: 'haiku',
      tanka: 'tanka',
      limerick: 'limerick',
      sonnet: 'sonnet',
      jueju5: '五言绝句',
      jueju7: '七言绝句',
    },
    verdict: {
      kept: '{{form}} ✓',
      counted: '{{form}} {{pattern}} ✓',
      limerick: 'limerick AABBA, long-long-short-short-long ✓',
      jueju: '{{form}} 4×{{size}} ✓',
      missed: '{{form}}: {{problems}} ✗',
      sonnet: 'sonnet: {{lines}}, {{rhyme}}, {{meter}}',
      bestOf: '{{verdict}} (best of {{attempts}} attempts)',
    },
    sonnet: {
      linesKept: '14 lines ✓',
      linesMissed: '{{count}} lines ✗ (wants 14)',
      rhymeKept: 'rhyme ABAB CDCD EFEF GG ✓',
      rhymeMissed: 'rhyme ABAB CDCD EFEF GG ✗ ({{list}})',
      meterKept: 'about ten syllables a line ✓',
      meterMissed: 'about ten syllables a line ✗ ({{list}})',
    },
    problem: {
      oneLine: '1 line (wants {{want}})',
      lines: '{{count}} lines (wants {{want}})',
      syllable: 'line {{line}} has 1 syllable (wants {{want}})',
      syllables: 'line {{line}} has {{got}} syllables (wants {{want}})',
      character: 'line {{line}} has 1 character (wants {{want}})',
      characters: 'line {{line}} has {{got}} characters (wants {{want}})',
      noRhyme: "lines {{a}}/{{b}} don't rhyme ({{first}} / {{second}})",
      fifthNoRhyme: "line 5 doesn't rhyme with lines 1-2 ({{word}})",
      notChinese: 'not written in Chinese',
      noLines: 'no poem lines',
    },
    brief: {
      syllable: 'line {{line}} has 1 syllable',
      syllables: 'line {{line}} has {{got}} syllables',
      noRhyme: "lines {{a}}/{{b}} don't rhyme",
    },
    range: {
      pentameter: '8–12, about 10',
    },
    list: {
      two: '{{a}}; {{b}}',
      three: '{{a}}; {{b}}; {{c}}',
      more: '{{a}}; {{b}}; {{c}}; and {{more}} more',
    },
  },
  'zh-CN': {
    starter: { title: '写一首诗', message: '/poem 冬天的第一场雪 form:jueju5' },
    form: {
      free: '自由诗',
      haiku: '俳句',
      tanka: '短歌',
      limerick: '五行打油诗',
      sonnet: '十四行诗',
      jueju5: '五言绝句',
      jueju7: '七言绝句',
    },
    verdict: {
      kept: '{{form}} ✓',
      counted: '{{form}} {{pattern}} ✓',
      limerick: '五行打油诗 AABBA，长长短短长 ✓',
      jueju: '{{form}} 4×{{size}} ✓',
      missed: '{{form}}：{{problems}} ✗',
      sonnet: '十四行诗：{{lines}}，{{rhyme}}，{{meter}}',
      bestOf: '{{verdict}}（{{attempts}} 次尝试中最好的一次）',
    },
    sonnet: {
      linesKept: '14 行 ✓',
      linesMissed: '{{count}} 行 ✗（应为 14 行）',
      rhymeKept: '押韵 ABAB CDCD EFEF GG ✓',
      rhymeMissed: '押韵 ABAB CDCD EFEF GG ✗（{{list}}）',
      meterKept: '每行约十个音节 ✓',
      meterMissed: '每行约十个音节 ✗（{{list}}）',
    },
    problem: {
      oneLine: '只有 1 行（应为 {{want}} 行）',
      lines: '共 {{count}} 行（应为 {{want}} 行）',
      syllable: '第 {{line}} 行有 1 个音节（应为 {{want}} 个）',
      syllables: '第 {{line}} 行有 {{got}} 个音节（应为 {{want}} 个）',
      character: '第 {{line}} 行有 1 个字（应为 {{want}} 个）',
      characters: '第 {{line}} 行有 {{got}} 个字（应为 {{want}} 个）',
      noRhyme: '第 {{a}}/{{b}} 行不押韵（{{first}} / {{second}}）',
      fifthNoRhyme: '第 5 行与第 1、2 行不押韵（{{word}}）',
      notChinese: '不是用中文写的',
      noLines: '没有诗行',
    },
    brief: {
      syllable: '第 {{line}} 行有 1 个音节',
      syllables: '第 {{line}} 行有 {{got}} 个音节',
      noRhyme: '第 {{a}}/{{b}} 行不押韵',
    },
    range: {
      pentameter: '8–12，约 10',
    },
    list: {
      two: '{{a}}；{{b}}',
      three: '{{a}}；{{b}}；{{c}}',
      more: '{{a}}；{{b}}；{{c}}；另有 {{more}} 处',
    },
  },
} satisfies Sentences;

import type { QuizQuestion } from './state.js';

/**
 * Reading structured output from a model that does not always write clean JSON: the JSON may
 * sit in a fenced code block or inside prose, with trailing commas, “smart quotes” or unquoted
 * keys. Each candidate is tried as is, then repaired.
 */
export function extractJson(text: string): unknown {
  const candidates = fencedBlocks(text);
  candidates.push(text);
  const span = (open: string, close: string) => {
    const a = text.indexOf(open);
    const b = text.lastIndexOf(close);
    if (a >= 0 && b > a) candidates.push(text.slice(a, b + 1));
  };
  span('{', '}');
  span('[', ']');
  for (const candidate of candidates) {
    for (const attempt of [candidate.trim(), repair(candidate)]) {
      try {
        return JSON.parse(attempt) as unknown;
      } catch {
        // next candidate
      }
    }
  }
  return undefined;
}

/**
 * The bodies of the ``` blocks in `text`, as /```[a-zA-Z]*\s*\n?([\s\S]*?)```/g would find them,
 * but by indexOf: that pattern backtracks through the whitespace after an unclosed fence and
 * rescans the rest of the text for each step, which is quadratic.
 */
function fencedBlocks(text: string): string[] {
  const out: string[] = [];
  for (let open = text.indexOf('```'); open >= 0;) {
    let body = open + 3;
    while (body < text.length && /[a-zA-Z]/.test(text[body]!)) body++;
    while (body < text.length && /\s/.test(text[body]!)) body++;
    const close = text.indexOf('```', body);
    // Neither letters nor whitespace hold a fence, so a later opening fence would close this one.
    if (close < 0) break;
    out.push(text.slice(body, close));
    open = text.indexOf('```', close + 3);
  }
  return out;
}

/**
 * A line of model text with every run of whitespace (a stray \r included) made one space, and
 * trimmed: the line patterns below have `\s*` on both sides of optional parts, which backtracks
 * cubically on a long run of spaces; with at most one space per run they run in linear time.
 */
function flat(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

function repair(text: string): string {
  return text
    .trim()
    .replace(/[“”„]/g, '"')
    .replace(/,\s*([}\]])/g, '$1')
    .replace(/([{,]\s*)([A-Za-z_][\w-]*)\s*:/g, '$1"$2":');
}

function clean(text: string, max: number): string {
  const one = text
    .replace(/\*\*|__/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const firstString = (o: Record<string, unknown>, keys: string[]): string | undefined => {
  for (const k of keys) if (typeof o[k] === 'string' && o[k].trim()) return o[k];
  return undefined;
};

function listIn(value: unknown, keys: string[]): unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of keys) if (Array.isArray(o[k])) return o[k] as unknown[];
  }
  return undefined;
}

/** Quiz questions from JSON ({"questions":[…]}, a bare array, strings or objects), else a numbered list. */
export function parseQuestions(text: string, max: number): QuizQuestion[] {
  const out: QuizQuestion[] = [];
  const list = listIn(extractJson(text), ['questions', 'quiz', 'items']);
  for (const item of list ?? []) {
    if (typeof item === 'string' && item.trim()) out.push({ question: clean(item, 500) });
    else if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>;
      const q = firstString(o, ['question', 'q', 'text', 'prompt', 'content']);
      const topic = firstString(o, ['topic', 'concept', 'skill', 'area']);
      if (q) out.push({ question: clean(q, 500), ...(topic ? { topic: clean(topic, 80) } : {}) });
    }
  }
  if (out.length === 0) {
    for (const line of text.split('\n')) {
      const m = /^\s*(?:\*\*)?(?:q(?:uestion)?\s*)?\d{1,2}\s*(?:[.):：、]|\*\*)\s*(?:\*\*)?\s*(.+)$/i.exec(flat(line));
      const q = m?.[1] && clean(m[1], 500);
      if (q && q.length >= 3) out.push({ question: q });
    }
  }
  const seen = new Set<string>();
  return out.filter((q) => !seen.has(q.question) && seen.add(q.question)).slice(0, max);
}

export interface Grade {
  /** Undefined when this question's grade could not be read. */
  score?: number;
  max: number;
  feedback?: string;
}

function scoreOf(value: unknown): { score: number; max?: number } | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return { score: value };
  if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:(?:\/|out of|of)\s*(\d+))?\s*$/i.exec(flat(value));
    if (m) return { score: Number(m[1]), ...(m[2] ? { max: Number(m[2]) } : {}) };
  }
  return undefined;
}

/**
 * Grades for `count` questions on a 0–`max` scale (a per-item max of 1 or 2 is honoured). A
 * grade that is missing, out of range or unreadable stays undefined: never a made-up score.
 * Falls back to lines like "1. 2/2 - good" or "Q2: 1/2 — check the sign".
 */
export function parseGrades(text: string, count: number, max = 2): Grade[] {
  const grades: Grade[] = Array.from({ length: count }, () => ({ max }));
  const set = (index: number, score: number, itemMax: number, feedback?: string) => {
    const g = grades[index];
    if (!g || g.score !== undefined) return;
    if (!(itemMax === 1 || itemMax === 2) || score < 0 || score > itemMax) return;
    g.score = score;
    g.max = itemMax;
    if (feedback?.trim()) g.feedback = clean(feedback.split('\n')[0]!, 200);
  };
  const list = listIn(extractJson(text), ['grades', 'results', 'scores', 'items', 'questions', 'answers']);
  list?.forEach((item, position) => {
    if (!item || typeof item !== 'object') {
      const s = scoreOf(item);
      if (s) set(position, s.score, s.max ?? max);
      return;
    }
    const o = item as Record<string, unknown>;
    const n = ['question', 'index', 'number', 'q', 'n', 'id'].map((k) => o[k]).find((v) => typeof v === 'number' && Number.isInteger(v));
    const index = typeof n === 'number' && n >= 1 && n <= count ? n - 1 : position;
    const s = scoreOf(['score', 'points', 'mark', 'grade'].map((k) => o[k]).find((v) => v !== undefined));
    const declared = ['max', 'out_of', 'outOf', 'max_score', 'maxScore'].map((k) => o[k]).find((v): v is number => typeof v === 'number');
    if (s) set(index, s.score, declared ?? s.max ?? max, firstString(o, ['feedback', 'comment', 'reason', 'explanation', 'note']));
  });
  if (!list) {
    for (const line of text.split('\n')) {
      const m =
        /^\s*(?:\*\*)?(?:q(?:uestion)?\s*)?(\d{1,2})\s*[.):：-]?\s*(?:\*\*)?\s*(?:score\s*[:=]?\s*)?(\d(?:\.\d+)?)\s*(?:\/|out of)\s*(\d)\b\s*[-–—:|.]?\s*(.*)$/i.exec(
          flat(line),
        );
      if (m) set(Number(m[1]) - 1, Number(m[2]), Number(m[3]), m[4]);
    }
  }
  return grades;
}

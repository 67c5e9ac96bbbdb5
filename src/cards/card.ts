import type { Localized } from '../i18n/index.js';
import { ImportError, quoted } from './errors.js';
import { isPng, pngTextChunks } from './png.js';

/** The fields of a character card Muse reads; the whole card is kept as `raw`. */
export interface CardData {
  name: string;
  description: string;
  personality: string;
  scenario: string;
  first_mes: string;
  mes_example: string;
  system_prompt: string;
  post_history_instructions: string;
  character_book?: unknown;
}

export interface Card {
  spec: 'chara_card_v2' | 'chara_card_v3' | 'v1';
  data: CardData;
  /** The card JSON exactly as it came (unknown fields included). */
  raw: Record<string, unknown>;
}

/**
 * The JSON inside an uploaded file: the file itself, or a card PNG's `ccv3` (preferred) or
 * `chara` text chunk (base64 of UTF-8 JSON).
 */
export function readJsonFile(data: Uint8Array): unknown {
  if (isPng(data)) {
    const chunks = pngTextChunks(data, ['ccv3', 'chara']);
    const keyword = chunks.has('ccv3') ? 'ccv3' : chunks.has('chara') ? 'chara' : undefined;
    if (!keyword) throw new ImportError('cards.noCardInPng');
    const base64 = chunks.get(keyword)!.trim();
    if (!/^[A-Za-z0-9+/=\s_-]+$/.test(base64)) throw new ImportError('cards.notBase64', { keyword });
    return parseJson(Buffer.from(base64, 'base64'), { key: 'cards.chunk', vars: { keyword } });
  }
  return parseJson(data, { key: 'cards.it' });
}

function parseJson(bytes: Uint8Array, what: Localized): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError('cards.notUtf8', { what });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ImportError('cards.notJson', { what }, { cause: err });
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Recognises a Character Card V2 (`spec: chara_card_v2`) or V3 (`chara_card_v3`), whose fields
 * are in `data`, or a V1 card (the fields at the top). Returns undefined for anything else.
 */
export function asCard(value: unknown): Card | undefined {
  if (!isObject(value)) return undefined;
  const spec = value.spec;
  let data: unknown;
  let kind: Card['spec'];
  if (spec === 'chara_card_v2' || spec === 'chara_card_v3') {
    kind = spec;
    data = value.data;
    if (!isObject(data)) throw new ImportError('cards.noData', { spec });
  } else if (typeof spec === 'string') {
    throw new ImportError('cards.unknownSpec', { spec: quoted(spec, 40) });
  } else if (typeof value.name === 'string' && (typeof value.first_mes === 'string' || typeof value.description === 'string') && !('entries' in value)) {
    kind = 'v1';
    data = value;
  } else {
    return undefined;
  }
  const d = data as Record<string, unknown>;
  const text = (field: string): string => {
    const v = d[field];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw new ImportError('cards.fieldNotText', { field });
    return v;
  };
  const name = text('name').trim();
  if (!name) throw new ImportError('cards.noName');
  return {
    spec: kind,
    raw: value,
    data: {
      name,
      description: text('description'),
      personality: text('personality'),
      scenario: text('scenario'),
      first_mes: text('first_mes'),
      mes_example: text('mes_example'),
      system_prompt: text('system_prompt'),
      post_history_instructions: text('post_history_instructions'),
      ...(d.character_book !== undefined && d.character_book !== null ? { character_book: d.character_book } : {}),
    },
  };
}

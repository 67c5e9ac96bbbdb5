/**
 * Token estimate used for the context budget. Exact counts differ per model; this errs on the
 * high side so the budget holds: Han/kana/hangul characters count one token each, other text
 * about four characters a token.
 */
const WIDE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/g;

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  const wide = text.match(WIDE)?.length ?? 0;
  return wide + Math.ceil((text.length - wide) / 4) + 1;
}

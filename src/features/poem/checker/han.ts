/**
 * Chinese forms count Han characters (CJK ideographs). Punctuation (，。！？、；：and the rest)
 * and spaces do not count. A line written as a couplet ("床前明月光，疑是地上霜。") holds two
 * verses: it is split at clause punctuation, so both layouts of a 绝句 are read the same way.
 */
const HAN = /\p{Script=Han}/gu;

export function hanCount(line: string): number {
  return line.match(HAN)?.length ?? 0;
}

/** Whether the text is written in Chinese (most of its letters are Han characters). */
export function isChinese(text: string): boolean {
  const han = hanCount(text);
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return han > 0 && han >= latin;
}

/** The verses of Chinese poem lines: each line split after ，。！？；, empty pieces dropped. */
export function chineseVerses(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    for (const piece of line.split(/(?<=[，,。！？!?；;])/)) {
      if (/[\p{L}\p{N}]/u.test(piece)) out.push(piece.trim());
    }
  }
  return out;
}

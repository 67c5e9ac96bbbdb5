import { isNoWordBreakName, sameKey } from './keys.js';

const WORD_RUN = /[\p{L}\p{N}\p{M}_]+/gu;
/** Whether a text starts / ends with a word character (a whole code point, astral letters included). */
const STARTS_WORD = /^[\p{L}\p{N}\p{M}_]/u;
const ENDS_WORD = /[\p{L}\p{N}\p{M}_]$/u;

/** One distinct name (through sameKey), and the entries that have it. */
interface NameGroup {
  text: string;
  entries: number[];
  /** CJK and similar scripts: matches anywhere, as a substring. */
  anywhere: boolean;
  /** The name starts with a word character: a match must start where a word of the text starts. */
  edgeBefore: boolean;
  /** The name ends in a word character, so the next character must not be one. */
  edgeAfter: boolean;
}

/** A node of a radix tree: edges keyed by their label's first character. */
interface Node {
  group?: number;
  edges?: Map<string, Edge>;
}

interface Edge {
  label: string;
  node: Node;
}

/**
 * Every name of every entry, in a radix tree (a trie whose single-child chains are merged into
 * one edge, so it has at most two nodes per name), so that one pass over a text finds them all:
 * from each position, one walk down the tree along the text, at most as long as the longest
 * name. Names in spaced scripts match as whole words (a match starts where a word of the text
 * starts, unless the name starts with a symbol, and ends at a word's end); CJK names match
 * anywhere. Names shared by several entries are matched once. The time is linear in the text
 * whatever the names: the buckets of names this replaced were scanned name by name at every
 * position, which took 40 s on a book of names sharing their first character.
 */
export class NameIndex {
  private readonly root: Node = {};
  private readonly groups: NameGroup[] = [];
  private readonly wordStarts: boolean;

  constructor(
    readonly size: number,
    namesOf: (entry: number) => readonly string[],
  ) {
    const byText = new Map<string, number>();
    for (let entry = 0; entry < size; entry++) {
      for (const raw of namesOf(entry)) {
        const text = sameKey(raw);
        if (!text) continue;
        let id = byText.get(text);
        if (id === undefined) {
          id = this.groups.length;
          byText.set(text, id);
          const anywhere = isNoWordBreakName(text);
          this.groups.push({ text, entries: [], anywhere, edgeBefore: !anywhere && STARTS_WORD.test(text), edgeAfter: !anywhere && ENDS_WORD.test(text) });
          insert(this.root, text, id);
        }
        const entries = this.groups[id]!.entries;
        if (entries.at(-1) !== entry) entries.push(entry);
      }
    }
    this.wordStarts = this.groups.some((g) => g.edgeBefore);
  }

  /** For each entry, the position of its first mention in `lowered` (through forMatching), or -1. */
  firstMentions(lowered: string): Int32Array {
    const first = new Int32Array(this.size).fill(-1);
    if (this.groups.length === 0) return first;
    const done = new Uint8Array(this.groups.length);
    const wordStart = new Uint8Array(lowered.length + 1);
    if (this.wordStarts) for (const m of lowered.matchAll(WORD_RUN)) wordStart[m.index] = 1;
    for (let at = 0; at < lowered.length; at++) {
      let node: Node = this.root;
      let end = at;
      for (;;) {
        if (node.group !== undefined && !done[node.group]) {
          const g = this.groups[node.group]!;
          if (g.anywhere || ((!g.edgeBefore || wordStart[at]) && (!g.edgeAfter || !STARTS_WORD.test(lowered.slice(end, end + 2))))) {
            done[node.group] = 1;
            for (const entry of g.entries) if (first[entry]! < 0) first[entry] = at;
          }
        }
        const edge: Edge | undefined = node.edges?.get(lowered[end]!);
        if (!edge || !lowered.startsWith(edge.label, end)) break;
        end += edge.label.length;
        node = edge.node;
      }
    }
    return first;
  }
}

/** Adds `text` (ending in group `id`) to the radix tree under `root`. */
function insert(root: Node, text: string, id: number): void {
  let node = root;
  let at = 0;
  while (at < text.length) {
    node.edges ??= new Map();
    const edge = node.edges.get(text[at]!);
    if (!edge) {
      node.edges.set(text[at]!, { label: text.slice(at), node: { group: id } });
      return;
    }
    // The length of the common prefix of the edge's label and the rest of the text.
    let common = 1;
    while (common < edge.label.length && at + common < text.length && edge.label[common] === text[at + common]) common++;
    if (common < edge.label.length) {
      // Split the edge: a new node at the end of the common part, the old rest below it.
      const middle: Node = { edges: new Map([[edge.label[common]!, { label: edge.label.slice(common), node: edge.node }]]) };
      edge.label = edge.label.slice(0, common);
      edge.node = middle;
    }
    node = edge.node;
    at += common;
  }
  node.group = id;
}

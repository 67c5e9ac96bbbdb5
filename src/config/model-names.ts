/**
 * The names of the models an operator offers (MUSE_MODELS, with MUSE_MODEL first): a name is a
 * model spec as written there (`openai:gpt-4o-mini`, `local:/models/x.gguf`, `fake`). Pure, so the
 * configuration, the catalog and the `/model` command agree on what a name is.
 */

/** What a model spec looks like. */
export const MODEL_SPEC_RE = /^(openai:.+|local:.+|fake)$/;

/** The comma-separated entries of a list, trimmed, empty ones left out. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `first` (the default model), then the others in their order, each once. */
export function modelList(first: string, others: readonly string[]): string[] {
  return [...new Set([first, ...others])];
}

/**
 * The name `input` stands for: a name as written in the list (case aside), or the part after
 * `openai:` alone when exactly one name has it. Undefined when it names none (or is ambiguous).
 */
export function findModelName(names: readonly string[], input: string): string | undefined {
  const given = input.trim();
  if (names.includes(given)) return given;
  const wanted = given.toLowerCase();
  if (!wanted) return undefined;
  const exact = names.filter((n) => n.toLowerCase() === wanted);
  if (exact.length === 1) return exact[0];
  const short = names.filter((n) => n.toLowerCase() === `openai:${wanted}`);
  return short.length === 1 ? short[0] : undefined;
}

import { parse as parseYaml } from 'yaml';
import { PERSONA_LIMITS, personaFrontMatter, type Persona, type PersonaFields } from './schema.js';

/** Parses one persona file. Throws an Error whose message names the field that is wrong. */
export function parsePersona(file: string, source: string): Persona {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw new Error('missing front matter: the file must start with a --- block');
  let data: unknown;
  try {
    data = parseYaml(match[1]!);
  } catch (err) {
    throw new Error('front matter is not valid YAML', { cause: err });
  }
  return { ...personaFields(data ?? {}, match[2]!.trim()), file };
}

/**
 * A persona from front matter (as written in a file) and a prompt, checked field by field and
 * against the size caps. Throws an Error whose message names the field that is wrong.
 */
export function personaFields(frontMatter: unknown, prompt: string): PersonaFields {
  const result = personaFrontMatter.safeParse(frontMatter);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      const field = issue.path.join('.') || 'front matter';
      return `${field}: ${issue.message}`;
    });
    throw new Error(issues.join('; '));
  }
  if (prompt.length === 0) throw new Error('body: the prompt (text after the front matter) is empty');
  if (prompt.length > PERSONA_LIMITS.prompt) {
    throw new Error(`body: the prompt is ${count(prompt.length)} characters; at most ${count(PERSONA_LIMITS.prompt)}`);
  }
  const fm = result.data;
  return {
    name: fm.name,
    description: fm.description,
    mode: fm.mode,
    temperature: fm.temperature,
    maxOutputTokens: fm.max_output_tokens,
    greeting: fm.greeting,
    prompt,
  };
}

/** 8,000 */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

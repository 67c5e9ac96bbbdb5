import { parse as parseYaml } from 'yaml';
import { personaFrontMatter, type Persona } from './schema.js';

/** Parses one persona file. Throws an Error whose message names the field that is wrong. */
export function parsePersona(file: string, source: string): Persona {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw new Error('missing front matter: the file must start with a --- block');
  let data: unknown;
  try {
    data = parseYaml(match[1]!);
  } catch (err) {
    throw new Error(`front matter is not valid YAML (${(err as Error).message.split('\n')[0]})`, { cause: err });
  }
  const result = personaFrontMatter.safeParse(data ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((issue) => {
      const field = issue.path.join('.') || 'front matter';
      return `${field}: ${issue.message}`;
    });
    throw new Error(issues.join('; '));
  }
  const prompt = match[2]!.trim();
  if (prompt.length === 0) throw new Error('body: the prompt (text after the front matter) is empty');
  const fm = result.data;
  return {
    name: fm.name,
    description: fm.description,
    mode: fm.mode,
    temperature: fm.temperature,
    maxOutputTokens: fm.max_output_tokens,
    greeting: fm.greeting,
    prompt,
    file,
  };
}

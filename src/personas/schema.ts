import { z } from 'zod';

export const PERSONA_MODES = ['chat', 'story', 'poem', 'tutor'] as const;
export type PersonaMode = (typeof PERSONA_MODES)[number];

/** Front matter of a persona file (snake_case as written in the file). */
export const personaFrontMatter = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be 1-32 lowercase letters, digits, - or _'),
    description: z.string().min(1).max(100),
    mode: z.enum(PERSONA_MODES),
    temperature: z.number().min(0).max(2),
    max_output_tokens: z.number().int().min(16).max(32_768),
    greeting: z.string().min(1).max(1000),
    /** Imported from a character card: the file beside this one that keeps the whole card JSON. */
    card: z.string().min(1).max(200).optional(),
  })
  .strict();

export interface Persona {
  name: string;
  description: string;
  mode: PersonaMode;
  temperature: number;
  maxOutputTokens: number;
  greeting: string;
  /** The system prompt (the file's body). */
  prompt: string;
  /** Where it was loaded from. */
  file: string;
}

export interface PersonaLoadError {
  /** The file's path (for the log; users see only its name). */
  file: string;
  /** One sentence naming the field, e.g. "temperature: must be at most 2" (no path, no parser text). */
  message: string;
  /** What only the operator should read: the YAML parser's own message. */
  detail?: string;
}

import { z } from 'zod';

export const PERSONA_MODES = ['chat', 'story', 'poem', 'tutor'] as const;
export type PersonaMode = (typeof PERSONA_MODES)[number];

/** A persona's name: 1-32 lowercase letters, digits, - or _. */
export const PERSONA_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** How big a persona may be, and how many one tenant may import. */
export const PERSONA_LIMITS = {
  /** Characters of the prompt (a file's body). */
  prompt: 8_000,
  description: 100,
  greeting: 1_000,
  /** Imported personas per tenant (a server, a workspace, a DM user). */
  perTenant: 50,
  /** Characters of the source card kept with an imported persona. */
  card: 256 * 1024,
} as const;

/** Front matter of a persona file (snake_case as written in the file). */
export const personaFrontMatter = z
  .object({
    name: z.string().regex(PERSONA_NAME, 'must be 1-32 lowercase letters, digits, - or _'),
    description: z.string().min(1).max(PERSONA_LIMITS.description),
    mode: z.enum(PERSONA_MODES),
    temperature: z.number().min(0).max(2),
    max_output_tokens: z.number().int().min(16).max(32_768),
    greeting: z.string().min(1).max(PERSONA_LIMITS.greeting),
    /** Files imported before imports moved into the store name the card JSON kept beside them. */
    card: z.string().min(1).max(200).optional(),
  })
  .strict();

/** What makes a persona, wherever it is kept. */
export interface PersonaFields {
  name: string;
  description: string;
  mode: PersonaMode;
  temperature: number;
  maxOutputTokens: number;
  greeting: string;
  /** The system prompt (a file's body). */
  prompt: string;
}

/** Where an imported persona came from: its tenant, who imported it, when, from which file. */
export interface PersonaImport {
  /** The server, workspace or DM user it belongs to (see tenantOf). */
  tenant: string;
  by: { id: string; name: string };
  /** Epoch milliseconds. */
  at: number;
  /** The name of the card file it was made from. */
  cardFile: string;
}

export interface Persona extends PersonaFields {
  /** The file a built-in persona was loaded from. */
  file?: string;
  /** Set for a persona imported into one tenant (kept in the store). */
  imported?: PersonaImport;
}

export interface PersonaLoadError {
  /** The file's path (for the log; users see only its name). */
  file: string;
  /** One sentence naming the field, e.g. "temperature: must be at most 2" (no path, no parser text). */
  message: string;
  /** What only the operator should read: the YAML parser's own message. */
  detail?: string;
}

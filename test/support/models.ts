import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addChatTemplate } from '../../scripts/gguf-metadata.js';

/** The tiny base model that ships in the repository (see test/fixtures/models/README.md). */
export const TINY_MODEL = fileURLToPath(new URL('../fixtures/models/stories260K.gguf', import.meta.url));

/** Writes the tiny model with a ChatML chat template into `dir` (made at test time, never committed). */
export async function writeChatModel(dir: string): Promise<string> {
  const file = path.join(dir, 'stories260K-chatml.gguf');
  await addChatTemplate(TINY_MODEL, file);
  return file;
}

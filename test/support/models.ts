import { fileURLToPath } from 'node:url';

/** The tiny base model that ships in the repository (see test/fixtures/models/README.md). */
export const TINY_MODEL = fileURLToPath(new URL('../fixtures/models/stories260K.gguf', import.meta.url));

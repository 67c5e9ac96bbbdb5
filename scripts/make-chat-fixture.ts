/**
 * Writes a copy of a GGUF model with a ChatML `tokenizer.chat_template`, so the local backend's
 * chat-template path can run on the tiny test model (the tests make this copy in a temporary
 * folder themselves; it is not committed).
 *   npx tsx scripts/make-chat-fixture.ts OUT.gguf [IN.gguf]
 * IN defaults to test/fixtures/models/stories260K.gguf.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { addChatTemplate, GgufFormatError } from './gguf-metadata.js';

const [output, input = fileURLToPath(new URL('../test/fixtures/models/stories260K.gguf', import.meta.url))] = process.argv.slice(2);
if (!output) {
  console.error('Usage: npx tsx scripts/make-chat-fixture.ts OUT.gguf [IN.gguf]');
  process.exit(1);
}
try {
  const { replaced } = await addChatTemplate(input, output);
  const sha256 = createHash('sha256')
    .update(await readFile(output))
    .digest('hex');
  console.log(`Wrote ${output} (${replaced ? 'replaced' : 'added'} a ChatML tokenizer.chat_template; sha256 ${sha256}).`);
} catch (err) {
  const reason =
    err instanceof GgufFormatError
      ? err.message
      : (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? `${(err as NodeJS.ErrnoException).path ?? input} does not exist.`
        : String(err);
  console.error(`Could not write the chat fixture: ${reason}`);
  process.exit(1);
}

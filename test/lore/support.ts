import { LORE_LABEL } from '../../src/features/lore/index.js';
import type { TestEngine } from '../support/engine.js';
import { dataBlock } from '../support/prompt.js';

/** The lore block of the model's last request (in its data message), or undefined when none was sent. */
export function loreSent(t: TestEngine): string | undefined {
  return dataBlock(t.backend.lastCall?.messages ?? [], LORE_LABEL);
}

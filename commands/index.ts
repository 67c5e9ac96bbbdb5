import type { CommandSpec } from '../src/engine/spec.js';
import help from './help.js';
import lore from './lore.js';
import memory from './memory.js';
import persona from './persona.js';
import poem from './poem.js';
import story from './story.js';
import tutor from './tutor.js';

/** Every command, in the order help lists them. Adapters generate their registrations from these. */
export const commands: readonly CommandSpec[] = [story, poem, tutor, persona, lore, memory, help];

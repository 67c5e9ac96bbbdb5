import type { TurnHook } from '../src/engine/engine.js';
import type { JobHandler } from '../src/engine/jobs.js';
import type { CommandSpec } from '../src/engine/spec.js';
import help from './help.js';
import lore from './lore.js';
import memory from './memory.js';
import persona from './persona.js';
import poem from './poem.js';
import story, { storyHook, storyJobHandlers } from './story.js';
import tutor from './tutor.js';
import { tutorTurnHook } from '../src/features/tutor/hook.js';

/** Every command, in the order help lists them. Adapters generate their registrations from these. */
export const commands: readonly CommandSpec[] = [story, poem, tutor, persona, lore, memory, help];

/** Plain messages some features claim before they become turns (votes, quiz answers), in order. */
export const turnHooks: readonly TurnHook[] = [tutorTurnHook, storyHook];

/** Work the features schedule for later (a vote window closing), by job name. */
export const jobs: Readonly<Record<string, JobHandler>> = { ...storyJobHandlers };

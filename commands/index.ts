import type { Feature } from '../src/engine/feature.js';
import { helpFeature } from '../src/features/help/index.js';
import { languageFeature } from '../src/features/language/index.js';
import { loreFeature } from '../src/features/lore/index.js';
import { memoryFeature } from '../src/features/memory/index.js';
import { modelFeature } from '../src/features/model/index.js';
import { personaFeature } from '../src/features/persona/index.js';
import { poemFeature } from '../src/features/poem/index.js';
import { storyFeature } from '../src/features/story/index.js';
import { tutorFeature } from '../src/features/tutor/index.js';
import { usageFeature } from '../src/features/usage/index.js';
import help from './help.js';
import language from './language.js';
import lore from './lore.js';
import memory from './memory.js';
import model from './model.js';
import persona from './persona.js';
import poem from './poem.js';
import story from './story.js';
import tutor from './tutor.js';
import usage from './usage.js';

/**
 * THE registry: what Muse can do, one line per feature, in the order /help lists the commands.
 * Each feature (src/features/<name>/) brings its turn hooks, prompt, context slot and jobs; its
 * commands are the specs in this folder. Removing a feature is deleting its folder, its command
 * file(s) and its line here.
 */
export const features: readonly Feature[] = [
  { ...storyFeature, commands: [story] },
  { ...poemFeature, commands: [poem] },
  { ...tutorFeature, commands: [tutor] },
  { ...personaFeature, commands: [persona] },
  { ...loreFeature, commands: [lore] },
  { ...memoryFeature, commands: [memory] },
  { ...modelFeature, commands: [model] },
  { ...languageFeature, commands: [language] },
  { ...usageFeature, commands: [usage] },
  { ...helpFeature, commands: [help] },
];

/** Every command, in registry order (the Discord deploy script and the Slack manifest use these). */
export const commands = features.flatMap((f) => f.commands ?? []);

/** The features' suggested first messages (the Slack manifest lists them). */
export const starters = features.flatMap((f) => f.starters ?? []);

import type { Engine } from '../engine/engine.js';
import type { Logger } from '../log.js';
import type { RenderOptions } from './render.js';

/** What every Discord handler needs. */
export interface DiscordContext {
  engine: Engine;
  log: Logger;
  managerRole?: string | undefined;
  render: RenderOptions;
}

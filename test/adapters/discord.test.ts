import { describe } from 'vitest';
import { startDiscordDriver } from './discord-driver.js';
import { adapterScenarios } from './scenarios.js';

describe('adapter scenarios: Discord (discord.js against the fake Discord)', () => adapterScenarios(startDiscordDriver));

import { describe } from 'vitest';
import { startSlackDriver } from './slack-driver.js';
import { adapterScenarios } from './scenarios.js';

describe('adapter scenarios: Slack (Bolt over HTTP against the fake Slack)', () => adapterScenarios(startSlackDriver));

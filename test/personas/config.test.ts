import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { PERSONAS_DIR } from '../support/engine.js';

describe('MUSE_PERSONA_IMPORT', () => {
  it('is managers unless set to off; anything else is named in the configuration error, its value never echoed', () => {
    expect(loadConfig({}).MUSE_PERSONA_IMPORT).toBe('managers');
    expect(loadConfig({ MUSE_PERSONA_IMPORT: 'off' }).MUSE_PERSONA_IMPORT).toBe('off');
    expect(() => loadConfig({ MUSE_PERSONA_IMPORT: 'everyone' })).toThrow(/MUSE_PERSONA_IMPORT: must be managers or off/);
    expect(() => loadConfig({ MUSE_PERSONA_IMPORT: 'everyone' })).not.toThrow(/everyone/);
  });

  it('reaches the engine the app builds', async () => {
    const env = { MUSE_STORE_URL: 'memory://', MUSE_MODEL: 'fake', MUSE_PERSONAS_DIR: PERSONAS_DIR };
    for (const policy of ['off', 'managers'] as const) {
      const app = await createApp(loadConfig({ ...env, MUSE_PERSONA_IMPORT: policy }), pino({ level: 'silent' }));
      try {
        expect(app.engine.personas.importPolicy).toBe(policy);
      } finally {
        await app.close();
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { tenantOf } from '../../src/engine/conversation.js';

describe('tenantOf', () => {
  it('is the server or workspace in a shared channel, whoever speaks', () => {
    const ref = { platform: 'discord', workspace: '123', channel: 'c1' };
    expect(tenantOf(ref, 'u1')).toBe('discord:123');
    expect(tenantOf(ref, 'u2')).toBe('discord:123');
  });

  it('is the user in a DM and in the terminal, so two people never share one', () => {
    const dm = { platform: 'slack', workspace: 'T1', channel: 'D1', dm: true };
    expect(tenantOf(dm, 'U1')).toBe('slack:user:U1');
    expect(tenantOf(dm, 'U2')).not.toBe(tenantOf(dm, 'U1'));
    expect(tenantOf({ platform: 'terminal', workspace: 'local', channel: 'x', dm: true }, 'local:me')).toBe('terminal:user:local%3Ame');
  });

  it('cannot be forged by ids that contain the separator', () => {
    expect(tenantOf({ platform: 'slack', workspace: 'T1:user', channel: 'c' }, 'x')).not.toBe(
      tenantOf({ platform: 'slack', workspace: 'T1', channel: 'c', dm: true }, 'x'),
    );
  });
});

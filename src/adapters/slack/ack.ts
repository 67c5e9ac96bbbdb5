import type { Logger } from '../../util/log.js';

/**
 * Acknowledges a slash command or a click and goes on when that fails. In Socket Mode the ack
 * cannot be sent once Slack has asked to reconnect or the socket broke, and Slack never sends a
 * command or a click again: the person may see "didn't respond", but still gets the answer.
 * (Events need none of this: Bolt acknowledges them itself, and Slack sends them again.)
 */
export async function acknowledge(ack: () => Promise<void>, log: Logger, what: 'command' | 'click'): Promise<void> {
  try {
    await ack();
  } catch (err) {
    log.warn({ err }, `slack: could not acknowledge a ${what}; answering it anyway`);
  }
}

/**
 * A test-only feature for the adapter scenarios, beside the poll (test/support/poll-command.ts):
 * a long reply with a button under it, a button that says who clicked it, a file, and a refusal.
 */
import type { Feature } from '../../src/engine/feature.js';
import { UserFacingError, type ReplyPart } from '../../src/engine/parts.js';
import type { CommandSpec } from '../../src/engine/spec.js';

/** About 5,000 characters in paragraphs: two messages on Slack (3,000), three on Discord (2,000). */
export const LONG_TEXT = Array.from({ length: 24 }, (_, i) => `Part ${i + 1}. ${'The lantern drifted past the sleeping mills. '.repeat(4).trim()}`).join(
  '\n\n',
);

export const NOTES = { name: 'notes.md', mime: 'text/markdown', content: '# Notes\n\nThe fox went north, then west.\n' };

export const WITHDRAWN = "Muse's reply was withheld: it seemed to involve violent crime or weapons, which isn't allowed here.";

export const scene: CommandSpec = {
  name: 'scene',
  description: 'Adapter scenarios',
  subcommands: [
    {
      name: 'withdrawn',
      description: 'A streamed reply taken back (moderation), replaced by its sentence',
      options: [],
      async *run(): AsyncGenerator<ReplyPart> {
        yield { type: 'started' };
        for (const piece of ['Blood on ', 'the snow, ', 'and worse.']) {
          yield { type: 'text', text: piece };
          await new Promise((resolve) => setTimeout(resolve, 60));
        }
        yield { type: 'withdraw' };
        yield { type: 'error', code: 'blocked', message: WITHDRAWN };
      },
    },
    {
      name: 'withdrawn-long',
      description: 'A streamed reply that spilled over several messages, then taken back (moderation)',
      options: [],
      async *run(): AsyncGenerator<ReplyPart> {
        yield { type: 'started' };
        for (let i = 0; i < LONG_TEXT.length; i += 500) {
          yield { type: 'text', text: LONG_TEXT.slice(i, i + 500) };
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
        yield { type: 'withdraw' };
        yield { type: 'error', code: 'blocked', message: WITHDRAWN };
      },
    },
    {
      name: 'menu',
      description: 'A short reply with a button that runs withdrawn-long',
      options: [],
      async *run({ session }): AsyncGenerator<ReplyPart> {
        yield { type: 'actions', actions: [{ id: 'scene.withdrawn-long', label: 'Go on', run: { command: 'scene', sub: 'withdrawn-long' } }] };
        yield* session.say('Shall I go on?');
      },
    },
    {
      name: 'long',
      description: 'A long streamed reply with a button under it',
      options: [],
      async *run(): AsyncGenerator<ReplyPart> {
        for (let i = 0; i < LONG_TEXT.length; i += 500) yield { type: 'text', text: LONG_TEXT.slice(i, i + 500) };
        yield { type: 'actions', actions: [{ id: 'scene.who', label: 'Who am I?', run: { command: 'scene', sub: 'who' } }] };
        yield { type: 'done', text: LONG_TEXT };
      },
    },
    {
      name: 'who',
      description: 'Says who asked',
      options: [],
      run: ({ session }) => session.say(`${session.speaker.name} clicked.`),
    },
    {
      name: 'file',
      description: 'Sends a file',
      options: [],
      async *run({ session }): AsyncGenerator<ReplyPart> {
        yield { type: 'file', file: NOTES };
        yield* session.say('Here are the notes.');
      },
    },
    {
      name: 'refuse',
      description: 'Refuses',
      options: [],
      // eslint-disable-next-line require-yield -- a refusal yields nothing
      async *run({ session }): AsyncGenerator<ReplyPart> {
        throw new UserFacingError('forbidden', `${session.speaker.name} may not do that here.`);
      },
    },
  ],
};

export const sceneFeature: Feature = { name: 'scene', commands: [scene] };

/**
 * A test-only command that exercises what story votes need from an adapter, without the story
 * mechanics: choice buttons on one row (with styles), per-person votes answered ephemerally,
 * a tally announced through the outbox when a 60 s window closes (on the engine's clock),
 * in-place paging ('replace'), and an attachment option. Used by the Discord and Slack tests.
 */
import type { Feature, JobHandler } from '../../src/engine/feature.js';
import { UserFacingError, type ReplyAction, type ReplyPart } from '../../src/engine/parts.js';
import type { Session } from '../../src/engine/session.js';
import { subcommand, type CommandSpec } from '../../src/engine/spec.js';

interface PollState {
  open: boolean;
  votes: Record<string, { name: string; choice: string }>;
}

export const POLL_WINDOW_MS = 60_000;
const POLL_JOB = 'test.poll';

/** The poll's scheduled close (register with the engine's jobs). */
export const pollJobs: Record<string, JobHandler> = { [POLL_JOB]: (session) => tally(session) };

export const pollActions: ReplyAction[] = [
  { id: 'poll.1', label: 'Door 1', run: { command: 'poll', sub: 'vote', options: { choice: '1' } }, row: 0, style: 'primary' },
  { id: 'poll.2', label: 'Door 2', run: { command: 'poll', sub: 'vote', options: { choice: '2' } }, row: 0, style: 'primary' },
  { id: 'poll.3', label: 'Door 3', run: { command: 'poll', sub: 'vote', options: { choice: '3' } }, row: 0, style: 'danger' },
  { id: 'poll.close', label: 'Close', run: { command: 'poll', sub: 'close' }, row: 1 },
];

function pollOf(session: Session): PollState | undefined {
  return session.meta.settings.poll as PollState | undefined;
}

async function save(session: Session, poll: PollState): Promise<void> {
  await session.commitMeta({ ...session.meta, settings: { ...session.meta.settings, poll } });
}

/** Closes the vote and says who voted for what; the winner is the most votes (lowest on a tie). */
async function* tally(session: Session): AsyncGenerator<ReplyPart> {
  const poll = pollOf(session);
  if (!poll?.open) return;
  await save(session, { ...poll, open: false });
  const counts = new Map<string, number>();
  for (const v of Object.values(poll.votes)) counts.set(v.choice, (counts.get(v.choice) ?? 0) + 1);
  const winner = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  const who = Object.values(poll.votes)
    .map((v) => `${v.name}: ${v.choice}`)
    .join(', ');
  const text = winner ? `The vote is closed: door ${winner[0]} wins (${who}).` : 'The vote is closed; nobody voted.';
  yield { type: 'message', text };
  yield { type: 'actions', actions: [{ id: 'poll.again', label: 'Vote again', run: { command: 'poll', sub: 'start' } }] };
  yield { type: 'done', text };
}

export const poll: CommandSpec = {
  name: 'poll',
  description: 'A test vote',
  subcommands: [
    {
      name: 'start',
      description: 'Open a vote',
      options: [],
      async *run({ session }) {
        await save(session, { open: true, votes: {} });
        await session.schedule(POLL_JOB, POLL_WINDOW_MS);
        const text = `Which door, ${session.speaker.name}? The vote closes in 60 s.`;
        yield { type: 'message', text };
        yield { type: 'actions', actions: pollActions };
        yield { type: 'done', text };
      },
    },
    subcommand({
      name: 'vote',
      description: 'Vote',
      options: [{ name: 'choice', description: 'Which door', required: true, choices: ['1', '2', '3'].map((v) => ({ value: v, label: v })) }],
      async *run({ options, session }) {
        const poll = pollOf(session);
        if (!poll?.open) throw new UserFacingError('bad_input', 'This vote is closed.');
        await save(session, { ...poll, votes: { ...poll.votes, [session.speaker.id]: { name: session.speaker.name, choice: options.choice } } });
        yield* session.say(`Your vote for ${options.choice} is in.`, true);
      },
    }),
    {
      name: 'close',
      description: 'Close the vote now',
      options: [],
      async *run({ session }) {
        await session.cancel(POLL_JOB);
        yield* tally(session);
      },
    },
    {
      name: 'page',
      description: 'Show a page in place',
      options: [{ name: 'n', description: 'Page number', required: true }],
      async *run({ options, session }) {
        const n = Number(options.n);
        const text = `Page ${n} of 3 (turned by ${session.speaker.name})`;
        yield { type: 'replace' };
        yield { type: 'message', text };
        yield {
          type: 'actions',
          actions: [
            { id: 'page.prev', label: '‹', run: { command: 'poll', sub: 'page', options: { n: String(Math.max(1, n - 1)) } }, row: 0, style: 'secondary' },
            { id: 'page.next', label: '›', run: { command: 'poll', sub: 'page', options: { n: String(Math.min(3, n + 1)) } }, row: 0, style: 'secondary' },
          ],
        };
        yield { type: 'done', text };
      },
    },
    {
      name: 'mixed',
      description: 'A public reply with a private note',
      options: [],
      async *run({ session }) {
        yield { type: 'message', text: `Only you see this, ${session.speaker.name}.`, ephemeral: true };
        yield* session.say('Everyone sees this.');
      },
    },
    {
      name: 'upload',
      description: 'Read an attached file',
      options: [{ name: 'file', description: 'A file', type: 'attachment', required: true }],
      async *run({ session }) {
        const files = session.attachments;
        if (!files.length) throw new UserFacingError('bad_input', 'Attach a file.');
        const text = files
          .map((f) => `${f.name} (${f.contentType ?? 'unknown'}, ${f.data.byteLength} bytes): ${new TextDecoder().decode(f.data).slice(0, 40)}`)
          .join('\n');
        yield* session.say(text);
      },
    },
  ],
};

/** The poll as a feature, to add to Muse's (see withFeatures). */
export const pollFeature: Feature = { name: 'poll', commands: [poll], jobs: pollJobs };

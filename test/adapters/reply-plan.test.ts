import { describe, expect, it } from 'vitest';
import type { ReplyAction, ReplyFile, ReplyPart } from '../../src/engine/parts.js';
import {
  finish,
  planReply,
  privateText,
  readReply,
  startReply,
  step,
  withTrailer,
  type FinishOptions,
  type PlanOptions,
  type ReplyPlan,
} from '../../src/adapters/common/reply-plan.js';

const text = (t: string): ReplyPart => ({ type: 'text', text: t });
const msg = (t: string, ephemeral = false): ReplyPart => ({ type: 'message', text: t, ...(ephemeral ? { ephemeral } : {}) });
const notice = (t: string): ReplyPart => ({ type: 'notice', text: t });
const done: ReplyPart = { type: 'done', text: '' };
const fail = (message: string, more: Partial<Extract<ReplyPart, { type: 'error' }>> = {}): ReplyPart => ({ type: 'error', code: 'model', message, ...more });
const refuse = (message: string): ReplyPart => ({ type: 'error', code: 'bad_input', message, ephemeral: true });
const BUTTONS: ReplyAction[] = [{ id: 'go', label: 'Go', run: { command: 'story', sub: 'continue' } }];
const buttons: ReplyPart = { type: 'actions', actions: BUTTONS };
const FILE: ReplyFile = { name: 'story.md', mime: 'text/markdown', content: '# A story' };
const file: ReplyPart = { type: 'file', file: FILE };
const replace: ReplyPart = { type: 'replace' };

/** Where a reply goes: the options each platform passes. */
const CHANNEL_MESSAGE: PlanOptions = {}; // a Discord mention, a DM, an announcement, the terminal
const COMMAND: PlanOptions = { privateReplies: true }; // a Discord slash command, a Slack mention in a channel
const SLACK_COMMAND: PlanOptions = { privateReplies: true, privateErrors: true };
const CLICK: PlanOptions = { privateReplies: true, clicked: true, privateErrors: true };
const DM_CLICK: PlanOptions = { clicked: true, privateErrors: true };
const AWAITED: FinishOptions = { awaited: true };

const pub = (p: Partial<NonNullable<ReplyPlan['public']>>) => ({ text: '', notices: [], actions: [], files: [], inPlace: false, ...p });
const priv = (p: Partial<NonNullable<ReplyPlan['private']>>) => ({ messages: [], notices: [], ...p });

const table: Array<[string, ReplyPart[], PlanOptions, FinishOptions, ReplyPlan]> = [
  [
    'streamed text is the public reply',
    [text('Once '), text('upon'), done],
    COMMAND,
    {},
    { ended: 'done', public: pub({ text: 'Once upon' }), retireClicked: false },
  ],
  [
    'a message after streamed text follows a blank line',
    [text('The vote is closed.'), msg('Next beat.'), done],
    CHANNEL_MESSAGE,
    {},
    { ended: 'done', public: pub({ text: 'The vote is closed.\n\nNext beat.' }), retireClicked: false },
  ],
  [
    'a message after a paragraph break adds none',
    [text('Lead.\n\n'), msg('Beat.'), done],
    {},
    {},
    { ended: 'done', public: pub({ text: 'Lead.\n\nBeat.' }), retireClicked: false },
  ],
  [
    'notices are one line each, under the text',
    [msg('A poem'), notice('haiku\n5-7-5 ✓'), done],
    COMMAND,
    {},
    { ended: 'done', public: pub({ text: 'A poem', notices: ['haiku 5-7-5 ✓'] }), retireClicked: false },
  ],
  [
    'the last set of buttons wins and goes under the reply',
    [text('Beat.'), { type: 'actions', actions: [] }, buttons, done],
    COMMAND,
    {},
    { ended: 'done', public: pub({ text: 'Beat.', actions: BUTTONS }), retireClicked: false },
  ],
  [
    'files go with the reply',
    [file, msg('Here is the story.'), done],
    COMMAND,
    {},
    { ended: 'done', public: pub({ text: 'Here is the story.', files: [FILE] }), retireClicked: false },
  ],
  [
    'a private message alone is private',
    [msg('Your vote is in.', true), done],
    CLICK,
    {},
    { ended: 'done', private: priv({ messages: ['Your vote is in.'] }), retireClicked: false },
  ],
  [
    'a private message is shown with the reply where nothing is private (a DM, an announcement)',
    [msg('Only you.', true), msg('Everyone.'), done],
    CHANNEL_MESSAGE,
    {},
    { ended: 'done', public: pub({ text: 'Only you.\n\nEveryone.' }), retireClicked: false },
  ],
  [
    'a private note beside a public reply',
    [msg('Only you.', true), msg('Everyone.'), done],
    COMMAND,
    {},
    { ended: 'done', public: pub({ text: 'Everyone.' }), private: priv({ messages: ['Only you.'] }), retireClicked: false },
  ],
  [
    'a refusal with nothing shown is private',
    [refuse('This vote is closed.')],
    COMMAND,
    {},
    { ended: 'error', private: priv({ error: 'This vote is closed.' }), retireClicked: false },
  ],
  [
    'a refusal where nothing is private is public',
    [refuse('This vote is closed.')],
    CHANNEL_MESSAGE,
    {},
    { ended: 'error', public: pub({ error: 'This vote is closed.' }), retireClicked: false },
  ],
  [
    'a forbidden error is private',
    [fail('Only managers.', { code: 'forbidden' })],
    COMMAND,
    {},
    { ended: 'error', private: priv({ error: 'Only managers.' }), retireClicked: false },
  ],
  [
    'a model failure before any text is public after a public request',
    [fail('The model server rejected the API key.')],
    COMMAND,
    AWAITED,
    { ended: 'error', public: pub({ error: 'The model server rejected the API key.' }), retireClicked: false },
  ],
  [
    "a model failure before any text is private after the speaker's own request",
    [fail('The model server rejected the API key.')],
    SLACK_COMMAND,
    {},
    { ended: 'error', private: priv({ error: 'The model server rejected the API key.' }), retireClicked: false },
  ],
  [
    'an error after text keeps the text, drops the buttons and adds the sentence publicly, even a refusal',
    [text('The dragon '), text('rose '), buttons, refuse('Cut off.')],
    CLICK,
    {},
    { ended: 'error', public: pub({ text: 'The dragon rose ', error: 'Cut off.' }), retireClicked: true },
  ],
  [
    'private messages and a private error go together',
    [msg('Checked your file.', true), refuse('It is too big.')],
    COMMAND,
    {},
    { ended: 'error', private: priv({ messages: ['Checked your file.'], error: 'It is too big.' }), retireClicked: false },
  ],
  [
    'notices follow a private-only reply',
    [msg('Your progress.', true), notice('Could not save.'), done],
    COMMAND,
    {},
    { ended: 'done', private: priv({ messages: ['Your progress.'], notices: ['Could not save.'] }), retireClicked: false },
  ],
  ['nothing at all, nothing waiting: silent', [done], CHANNEL_MESSAGE, {}, { ended: 'done', retireClicked: false }],
  ['nothing at all while something waits: "Done."', [done], COMMAND, AWAITED, { ended: 'done', public: pub({ text: 'Done.' }), retireClicked: false }],
  [
    'buttons without text sit under "What next?"',
    [buttons, done],
    CHANNEL_MESSAGE,
    {},
    { ended: 'done', public: pub({ text: 'What next?', actions: BUTTONS }), retireClicked: false },
  ],
  [
    'notices alone are shown alone',
    [notice('Older turns were summarised.'), done],
    {},
    AWAITED,
    { ended: 'done', public: pub({ notices: ['Older turns were summarised.'] }), retireClicked: false },
  ],
  ['a file alone needs no text unless something waits', [file, done], {}, {}, { ended: 'done', public: pub({ files: [FILE] }), retireClicked: false }],
  [
    'a file alone while something waits says "Done."',
    [file, done],
    COMMAND,
    AWAITED,
    { ended: 'done', public: pub({ text: 'Done.', files: [FILE] }), retireClicked: false },
  ],
  [
    "'replace' first: the reply is shown in the clicked message, whose buttons stay its own",
    [replace, msg('Page 2'), buttons, done],
    CLICK,
    {},
    { ended: 'done', public: pub({ text: 'Page 2', actions: BUTTONS, inPlace: true }), retireClicked: false },
  ],
  ["'replace' after text is too late", [text('Hi'), replace, done], CLICK, {}, { ended: 'done', public: pub({ text: 'Hi' }), retireClicked: true }],
  [
    "'replace' where the reply is not a click's: new messages",
    [replace, msg('Page 2'), done],
    COMMAND,
    {},
    { ended: 'done', public: pub({ text: 'Page 2' }), retireClicked: false },
  ],
  [
    'an error never takes the clicked message',
    [replace, fail('The model failed.')],
    DM_CLICK,
    {},
    { ended: 'error', public: pub({ error: 'The model failed.' }), retireClicked: true },
  ],
  [
    'a new public reply to a click retires the clicked buttons',
    [msg('Bob clicked.'), done],
    CLICK,
    {},
    { ended: 'done', public: pub({ text: 'Bob clicked.' }), retireClicked: true },
  ],
  [
    'a private answer to a click leaves them',
    [msg('Your vote is in.', true), done],
    CLICK,
    {},
    { ended: 'done', private: priv({ messages: ['Your vote is in.'] }), retireClicked: false },
  ],
  [
    'parts after the end change nothing',
    [text('Hi'), done, text(' there'), buttons],
    COMMAND,
    {},
    { ended: 'done', public: pub({ text: 'Hi' }), retireClicked: false },
  ],
];

describe('the reply plan', () => {
  it.each(table)('%s', (_name, parts, options, finishing, expected) => {
    expect(planReply(parts, options, finishing)).toEqual(expected);
  });

  it('the state so far only grows: each state’s text starts with the one before', () => {
    const parts = [text('A'), msg('B'), text('\n'), msg('C'), text('\n\n'), msg('D', true), msg('E'), done];
    for (const options of [CHANNEL_MESSAGE, COMMAND]) {
      let state = startReply(options);
      for (const part of parts) {
        const next = step(state, part);
        expect(next.text.startsWith(state.text)).toBe(true);
        state = next;
      }
      expect(finish(state).public!.text).toBe(options.privateReplies ? 'A\n\nB\n\nC\n\nE' : 'A\n\nB\n\nC\n\nD\n\nE');
    }
  });

  it('step does not change the state it is given', () => {
    const before = step(startReply(COMMAND), text('Hi'));
    const frozen = JSON.stringify(before);
    step(before, msg('more'));
    step(before, notice('n'));
    step(before, file);
    expect(JSON.stringify(before)).toBe(frozen);
  });

  it('reads a stream to its end part, and a stream that breaks ends with one sentence', async () => {
    async function* broken(): AsyncGenerator<ReplyPart> {
      yield text('Half a ');
      throw new Error('socket hang up at 10.0.0.3');
    }
    const seen: string[] = [];
    const causes: unknown[] = [];
    const state = await readReply(
      broken(),
      COMMAND,
      (s) => void seen.push(s.text),
      (err) => causes.push(err),
    );
    expect(seen).toEqual(['Half a ']);
    expect(causes).toHaveLength(1);
    const plan = finish(state);
    expect(plan.ended).toBe('error');
    expect(plan.public!.text).toBe('Half a ');
    expect(plan.public!.error).toMatch(/^Something went wrong while Muse was replying; the details are in the log\.$/);
  });

  it('stops reading at the end part', async () => {
    let read = 0;
    async function* parts(): AsyncGenerator<ReplyPart> {
      for (const p of [text('x'), done, text('never')]) {
        read++;
        yield p;
      }
    }
    await readReply(parts(), {}, () => undefined);
    expect(read).toBe(2);
  });

  it('writes the error and the notices under the text in the platform’s style', () => {
    const style = { error: (s: string) => `⚠️ ${s}`, notice: (n: string) => `-# ${n}` };
    expect(withTrailer('The dragon rose ', { error: 'Cut off.', notices: ['a note'] }, style)).toBe('The dragon rose\n\n⚠️ Cut off.\n-# a note');
    expect(withTrailer('', { error: 'Cut off.', notices: [] }, style)).toBe('⚠️ Cut off.');
    expect(withTrailer('', { notices: ['a', 'b'] }, style)).toBe('-# a\n-# b');
    expect(privateText({ messages: ['One.', 'Two.'], error: 'No.', notices: [] }, style)).toBe('One.\n\nTwo.\n\n⚠️ No.');
  });
});

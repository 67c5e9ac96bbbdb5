import type { TurnHook } from '../src/engine/engine.js';
import { UserFacingError } from '../src/engine/parts.js';
import { matureAllowed } from '../src/engine/prompt.js';
import type { CommandSpec } from '../src/engine/spec.js';
import { storyMarkdown } from '../src/features/story/export.js';
import { storyBeat, STORY_ACTIONS } from '../src/features/story/beat.js';
import { archiveKey } from '../src/features/story/archive.js';
import { storyTurnHook } from '../src/features/story/hook.js';
import { recap } from '../src/features/story/recap.js';
import { closeRound } from '../src/features/story/round.js';
import type { JobHandler } from '../src/engine/jobs.js';
import { storyJobs } from '../src/features/story/jobs.js';
import { DEFAULT_VOTE_MS, isStarter, overdue, readState, requireState, type StoryDeps, type StoryState } from '../src/features/story/state.js';
import { listVersions, retryBeat, showVersion, undoBeat } from '../src/features/story/versions.js';
import { castVote, decide } from '../src/features/story/vote.js';

export { STORY_ACTIONS };

const MAX_VOTE_SECONDS = 600;

function voteSeconds(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_VOTE_MS;
  const seconds = Number(raw.replace(/s$/i, ''));
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VOTE_SECONDS) {
    throw new UserFacingError('bad_input', `The vote window is a whole number of seconds from 0 to ${MAX_VOTE_SECONDS} (0: the first vote decides), not "${raw}".`);
  }
  return seconds * 1000;
}

/** The story command, its turn hook and its scheduled jobs; `random` decides ties nobody else decides (injectable for tests). */
export function createStory(deps: StoryDeps = { random: Math.random }): { command: CommandSpec; hook: TurnHook; jobs: Record<string, JobHandler> } {
  const command: CommandSpec = {
    name: 'story',
    description: 'Tell an interactive story together',
    zh: { name: '故事', description: '一起讲一个互动故事' },
    subcommands: [
      {
        name: 'new',
        description: 'Start a new story from a premise',
        zh: { name: '新故事', description: '从一个设定开始新故事' },
        options: [
          { name: 'premise', description: 'What the story is about', required: true, rest: true, maxLength: 1000, zh: { name: '设定', description: '故事讲什么' } },
          { name: 'persona', description: 'Who narrates (default: storyteller)', autocomplete: 'persona', zh: { name: '角色', description: '由谁讲述' } },
          { name: 'vote', description: 'Seconds to vote on choices (default 60; 0: the first vote decides)', maxLength: 4, zh: { name: '投票', description: '投票时长（秒，默认 60；0 表示第一票决定）' } },
          {
            name: 'rounds',
            description: 'Collect everyone’s actions for the vote window, then narrate them together',
            choices: [
              { value: 'off', label: 'Off: each message is a beat', labelZh: '关闭' },
              { value: 'on', label: 'On: action rounds', labelZh: '开启行动回合' },
            ],
            zh: { name: '回合', description: '在时限内收集所有人的行动，再一起讲述' },
          },
          {
            name: 'rating',
            description: 'Content rating (mature only in age-restricted channels and DMs)',
            choices: [
              { value: 'all-ages', label: 'All ages', labelZh: '全年龄' },
              { value: 'mature', label: 'Mature', labelZh: '成人' },
            ],
            zh: { name: '分级', description: '内容分级（成人级仅限年龄限制频道和私信）' },
          },
        ],
        async *run({ options, session }) {
          const persona = session.requirePersona(options.persona ?? 'storyteller');
          const voteMs = voteSeconds(options.vote);
          const rating = options.rating as StoryState['rating'];
          if (rating === 'mature' && !matureAllowed(session.ref, rating)) {
            throw new UserFacingError('forbidden', 'A mature story needs a channel marked age-restricted (or a DM); here stories stay suitable for all ages.');
          }
          const speaker = session.speaker;
          const startedAt = session.now();
          const story: StoryState = {
            premise: options.premise!,
            starterId: speaker.id,
            starterName: speaker.name,
            startedAt,
            id: `${startedAt.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
            voteMs,
            rounds: options.rounds === 'on',
            players: [{ id: speaker.id, name: speaker.name }],
            ...(rating ? { rating } : {}),
          };
          const previous = readState(session.meta);
          const meta = session.freshMeta(persona.name, { story });
          yield* storyBeat(session, { meta, persona, turn: session.userTurn(`Begin a new story. Premise: ${options.premise}`, 'story.new') });
          // The previous story has ended: the new beat replaced or cancelled its windows' jobs; its kept versions go.
          if (previous) await session.deleteRecord(archiveKey(session, previous));
        },
      },
      {
        name: 'continue',
        description: 'Go on without a player action, optionally in a direction',
        zh: { name: '继续', description: '继续讲下去' },
        options: [{ name: 'direction', description: 'Where the story should go next', rest: true, maxLength: 1000, zh: { name: '方向', description: '接下来的方向' } }],
        async *run({ options, session }) {
          const text = options.direction ? `Continue the story. Direction: ${options.direction}` : 'Continue the story.';
          const state = readState(session.meta);
          if (!state) {
            yield* session.reply({ turn: session.userTurn(text, 'story.continue'), actions: STORY_ACTIONS });
            return;
          }
          if (state.round) throw new UserFacingError('bad_input', `A round is collecting actions; it ends when its time is up or when ${state.starterName} uses /story close.`);
          const who = { id: session.speaker.id, name: session.speaker.name };
          if (state.poll && overdue(session, state.poll)) {
            yield* decide(session, deps, state, { then: { ...who, text } });
            return;
          }
          const lead = state.poll ? [`The vote is cancelled: ${who.name} moved the story on.`] : [];
          yield* storyBeat(session, { turn: session.userTurn(text, 'story.continue'), lead, player: who });
        },
      },
      { name: 'retry', description: 'Write another version of the last beat (earlier versions are kept)', zh: { name: '重写', description: '重写上一段（保留旧版本）' }, options: [], run: ({ session }) => retryBeat(session) },
      { name: 'undo', description: 'Remove the last beat and the action that led to it', zh: { name: '撤销', description: '撤销上一段' }, options: [], run: ({ session }) => undoBeat(session) },
      {
        name: 'export',
        description: 'Download the story so far as Markdown',
        zh: { name: '导出', description: '把故事导出为 Markdown' },
        options: [],
        async *run({ session }) {
          const m = session.meta;
          if (m.count - m.base === 0) throw new UserFacingError('bad_input', 'There is no story to export yet; start one with /story new.');
          const turns = await session.readTurns(m.base, m.count);
          const file = storyMarkdown(m, turns);
          yield { type: 'file', file };
          yield* session.say(`Here is the story so far (${turns.filter((t) => t.role === 'assistant').length} beats) as ${file.name}.`);
        },
      },
      {
        name: 'vote',
        description: 'Vote for one of the choices under the last beat',
        zh: { name: '投票', description: '为上一段的选项投票' },
        options: [
          {
            name: 'choice',
            description: 'The number of the choice',
            required: true,
            rest: true,
            choices: ['1', '2', '3', '4'].map((n) => ({ value: n, label: n })),
            zh: { name: '选项', description: '选项编号' },
          },
          { name: 'poll', description: 'Which vote (filled in by the buttons)', maxLength: 20, zh: { name: '投票编号', description: '哪一次投票（按钮自动填写）' } },
        ],
        run: ({ options, session }) => castVote(session, deps, Number(options.choice), options.poll),
      },
      {
        name: 'close',
        description: 'Close the open vote or action round now (the story’s starter)',
        zh: { name: '结束投票', description: '立即结束投票或行动回合（仅限发起人）' },
        options: [],
        async *run({ session }) {
          const state = requireState(session);
          if (!state.poll && !state.round) throw new UserFacingError('bad_input', 'There is no open vote or round to close.');
          if (!isStarter(session, state)) throw new UserFacingError('forbidden', `Only ${state.starterName}, who started this story, can close it early.`);
          // The window's job is cancelled once the result is saved (a failed close keeps it).
          if (state.poll) yield* decide(session, deps, state);
          else yield* closeRound(session, deps, state);
        },
      },
      {
        name: 'version',
        description: 'Show another version of the last beat (the one shown when the story moves on is kept)',
        zh: { name: '版本', description: '查看上一段的其他版本' },
        options: [
          { name: 'n', description: 'Which version', required: true, rest: true, maxLength: 3, zh: { name: '编号', description: '版本编号' } },
          { name: 'beat', description: 'Which beat the buttons belong to (filled in by the buttons)', maxLength: 12, zh: { name: '段落', description: '按钮所属的段落' } },
        ],
        run: ({ options, session }) => showVersion(session, Number(options.n), options.beat === undefined ? undefined : Number(options.beat)),
      },
      { name: 'versions', description: 'Every version of every beat, and undone beats, as a file', zh: { name: '所有版本', description: '导出所有版本' }, options: [], run: ({ session }) => listVersions(session) },
      { name: 'recap', description: 'A short summary of the story so far, for someone joining', zh: { name: '回顾', description: '故事梗概' }, options: [], run: ({ session }) => recap(session) },
      {
        name: 'join',
        description: 'Join the story as a player (to vote) without taking a turn',
        zh: { name: '加入', description: '加入故事成为玩家' },
        options: [],
        async *run({ session }) {
          const state = requireState(session);
          const already = state.players.some((p) => p.id === session.speaker.id);
          if (!already) await session.commitMeta({ ...session.meta, settings: { ...session.meta.settings, story: { ...state, players: [...state.players, { id: session.speaker.id, name: session.speaker.name }] } } });
          yield* session.say(already ? `${session.speaker.name}, you are already in this story.` : `${session.speaker.name} joins the story.`);
        },
      },
    ],
  };
  return { command, hook: storyTurnHook(deps), jobs: storyJobs(deps) };
}

const story = createStory();

/** Plain messages while a story is told: actions, votes by number, round entries. */
export const storyHook: TurnHook = story.hook;

/** Vote windows and action rounds closing. */
export const storyJobHandlers: Record<string, JobHandler> = story.jobs;

export default story.command;

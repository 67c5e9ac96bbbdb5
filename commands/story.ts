import { IMAGE_ACCEPT } from '../src/engine/images.js';
import { subcommand, type CommandSpec } from '../src/engine/spec.js';
import { exportStory } from '../src/features/story/export.js';
import { closeWindow } from '../src/features/story/jobs.js';
import { joinStory } from '../src/features/story/players.js';
import { recap } from '../src/features/story/recap.js';
import { continueStory, startStory } from '../src/features/story/start.js';
import { listVersions, retryBeat, showVersion, undoBeat } from '../src/features/story/versions.js';
import { castVote } from '../src/features/story/vote.js';
import { cast, note } from './story-cast.js';

/** Interactive stories (src/features/story). */
const story: CommandSpec = {
  name: 'story',
  description: 'Tell an interactive story together',
  zh: { name: '故事', description: '一起讲一个互动故事' },
  subcommands: [
    subcommand({
      name: 'new',
      description: 'Start a new story from a premise',
      zh: { name: '新故事', description: '从一个设定开始新故事' },
      // A story gets its own thread, named after the premise, where the platform can open one.
      placement: 'thread',
      placementNotes: { moved: { key: 'story.placement.moved' } },
      options: [
        {
          name: 'premise',
          description: 'What the story is about',
          required: true,
          rest: true,
          maxLength: 1000,
          zh: { name: '设定', description: '故事讲什么' },
        },
        { name: 'persona', description: 'Who narrates (default: storyteller)', autocomplete: 'persona', zh: { name: '角色', description: '由谁讲述' } },
        {
          name: 'vote',
          description: 'Seconds to vote on choices (default 60; 0: the first vote decides)',
          type: 'integer',
          min: 0,
          max: 600,
          explain: 'The vote window is a whole number of seconds from 0 to 600 (0: the first vote decides)',
          zh: { name: '投票', description: '投票时长（秒，默认 60；0 表示第一票决定）' },
        },
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
        {
          name: 'image',
          description: 'A picture the story begins from (PNG, JPEG, GIF or WebP, up to 4 MB)',
          type: 'attachment',
          accept: IMAGE_ACCEPT,
          image: true,
          zh: { name: '图片', description: '故事由这张图片开始（PNG、JPEG、GIF 或 WebP，最大 4 MB）' },
        },
      ],
      run: ({ options, session }) =>
        startStory(session, {
          premise: options.premise,
          persona: options.persona,
          voteSeconds: options.vote,
          rounds: options.rounds === 'on',
          rating: options.rating,
        }),
    }),
    subcommand({
      name: 'continue',
      description: 'Go on without a player action, optionally in a direction',
      zh: { name: '继续', description: '继续讲下去' },
      options: [
        { name: 'direction', description: 'Where the story should go next', rest: true, maxLength: 1000, zh: { name: '方向', description: '接下来的方向' } },
      ],
      run: ({ options, session }) => continueStory(session, options.direction),
    }),
    {
      name: 'retry',
      description: 'Write another version of the last beat (earlier versions are kept)',
      zh: { name: '重写', description: '重写上一段（保留旧版本）' },
      options: [],
      run: ({ session }) => retryBeat(session),
    },
    {
      name: 'undo',
      description: 'Remove the last beat and the action that led to it',
      zh: { name: '撤销', description: '撤销上一段' },
      options: [],
      run: ({ session }) => undoBeat(session),
    },
    {
      name: 'export',
      description: 'Download the story so far as Markdown',
      zh: { name: '导出', description: '把故事导出为 Markdown' },
      options: [],
      run: ({ session }) => exportStory(session),
    },
    subcommand({
      name: 'vote',
      description: 'Vote for one of the choices under the last beat',
      zh: { name: '投票', description: '为上一段的选项投票' },
      options: [
        {
          name: 'choice',
          description: 'The number of the choice',
          required: true,
          rest: true,
          type: 'integer',
          min: 1,
          max: 4,
          zh: { name: '选项', description: '选项编号' },
        },
        {
          name: 'poll',
          description: 'Which vote (filled in by the buttons)',
          maxLength: 20,
          zh: { name: '投票编号', description: '哪一次投票（按钮自动填写）' },
        },
      ],
      run: ({ options, session }) => castVote(session, options.choice, options.poll),
    }),
    {
      name: 'close',
      description: 'Close the open vote or action round now (the story’s starter)',
      zh: { name: '结束投票', description: '立即结束投票或行动回合（仅限发起人）' },
      options: [],
      run: ({ session }) => closeWindow(session),
    },
    subcommand({
      name: 'version',
      description: 'Show another version of the last beat (the one shown when the story moves on is kept)',
      zh: { name: '版本', description: '查看上一段的其他版本' },
      options: [
        { name: 'n', description: 'Which version', required: true, rest: true, type: 'integer', zh: { name: '编号', description: '版本编号' } },
        {
          name: 'beat',
          description: 'Which beat the buttons belong to (filled in by the buttons)',
          type: 'integer',
          min: 0,
          zh: { name: '段落', description: '按钮所属的段落' },
        },
      ],
      run: ({ options, session }) => showVersion(session, options.n, options.beat),
    }),
    {
      name: 'versions',
      description: 'Every version of every beat, and undone beats, as a file',
      zh: { name: '所有版本', description: '导出所有版本' },
      options: [],
      run: ({ session }) => listVersions(session),
    },
    {
      name: 'recap',
      description: 'A short summary of the story so far, for someone joining',
      zh: { name: '回顾', description: '故事梗概' },
      options: [],
      run: ({ session }) => recap(session),
    },
    {
      name: 'join',
      description: 'Join the story as a player (to vote) without taking a turn',
      zh: { name: '加入', description: '加入故事成为玩家' },
      options: [],
      run: ({ session }) => joinStory(session),
    },
    cast,
    note,
  ],
};

export default story;

import type { Sentences } from '../../i18n/index.js';

/** The model feature's sentences; a model's name stays as the operator wrote it (MUSE_MODELS). */
export const modelSentences = {
  en: {
    describe: 'Model: {{name}}',
    onlyOne: 'Muse has one model here, so there is none to switch to.',
    head: 'Models (▸ is in use here):',
    line: '{{mark}} {{name}}{{images}}',
    seesImages: ' (sees images)',
    how: 'Switch with /model <name>.',
    whatSwitch: 'switch the model',
    seeList: 'Type /model to see the models.',
    noModel: 'There is no model "{{input}}" to switch to; {{list}}.',
    modelsHere: 'the models here are {{names}}',
    oneHere: 'Muse has only one model here',
    already: 'Muse already answers with {{name}} here.',
    switched: 'Muse answers with {{name}} here from the next reply on; what it remembers of this conversation is unchanged.',
  },
  'zh-CN': {
    describe: '模型：{{name}}',
    onlyOne: 'Muse 在这里只有一个模型，没有可切换的。',
    head: '模型（▸ 表示这里正在使用的）：',
    line: '{{mark}} {{name}}{{images}}',
    seesImages: '（能看图片）',
    how: '用 /model <name> 切换。',
    whatSwitch: '切换模型',
    seeList: '输入 /model 查看所有模型。',
    noModel: '没有可切换的模型“{{input}}”；{{list}}。',
    modelsHere: '这里的模型有：{{names}}',
    oneHere: 'Muse 在这里只有一个模型',
    already: 'Muse 在这里已经在用 {{name}} 回答了。',
    switched: '从下一条回复起，Muse 在这里改用 {{name}} 回答；它对这个对话的记忆不变。',
  },
} satisfies Sentences;

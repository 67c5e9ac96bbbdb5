import type { Sentences } from '../../i18n/index.js';

/** The usage feature's sentences: the lines of /usage. */
export const usageSentences = {
  en: {
    you: '**Your use today** ({{day}}, UTC): {{tokens}}.',
    tenant: "**This {{tenant}}'s use today:** {{tokens}}, of {{budget}}.",
    limits: '**Limits:** you, {{user}}; this {{tenant}}, {{tenantLimit}} (actions that call the model).',
    budget: 'a budget of {{tokens}} a day',
    noBudget: 'no daily budget',
    noLimit: 'no limit',
    tokenOne: '1 token',
    tokens: '{{n}} tokens',
    server: 'server',
    workspace: 'workspace',
    conversation: 'conversation',
  },
  'zh-CN': {
    you: '**你今天的用量**（{{day}}，UTC）：{{tokens}}。',
    tenant: '**本{{tenant}}今天的用量：**{{tokens}}（{{budget}}）。',
    limits: '**限额：**你，{{user}}；本{{tenant}}，{{tenantLimit}}（指调用模型的操作）。',
    budget: '每日预算 {{tokens}}',
    noBudget: '没有每日预算',
    noLimit: '不限',
    tokenOne: '1 个 token',
    tokens: '{{n}} 个 token',
    server: '服务器',
    workspace: '工作区',
    conversation: '对话',
  },
} satisfies Sentences;

import { command } from '../src/engine/spec.js';
import { listModels, switchModel } from '../src/features/model/choose.js';

/** A model per conversation (src/features/model): the list, or a switch to one of it. */
export default command({
  name: 'model',
  description: 'List the models, or switch this conversation to one',
  zh: { name: '模型', description: '查看模型，或为本对话切换模型' },
  private: true,
  options: [
    {
      name: 'name',
      description: 'The model to switch to, as /model lists it',
      rest: true,
      maxLength: 300,
      zh: { name: '名称', description: '要切换到的模型' },
    },
  ],
  run: ({ options, session }) => (options.name === undefined || options.name.trim() === '' ? listModels(session) : switchModel(session, options.name)),
});

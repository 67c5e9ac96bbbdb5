import { subcommand, type SubcommandEntry } from '../src/engine/spec.js';
import { addCastMember, CAST_LIMITS, listCast, removeCastMember } from '../src/features/story/cast.js';
import { MAX_NOTE, setNote } from '../src/features/story/note.js';

/** `/story cast add|list|remove`: a subcommand group (src/features/story/cast.ts). */
export const cast: SubcommandEntry = {
  name: 'cast',
  description: 'Characters who speak as themselves in the story',
  zh: { name: '角色表', description: '在故事中以自己身份说话的角色' },
  subcommands: [
    subcommand({
      name: 'add',
      description: 'Add a character to the story’s cast',
      zh: { name: '添加', description: '把角色加入角色表' },
      options: [
        {
          name: 'name',
          description: 'The character’s name, as the narrator writes it',
          required: true,
          rest: true,
          maxLength: CAST_LIMITS.name,
          zh: { name: '名字', description: '角色的名字' },
        },
        {
          name: 'persona',
          description: 'A persona whose description gives the voice',
          autocomplete: 'persona',
          zh: { name: '人设', description: '提供声音描述的角色' },
        },
        {
          name: 'avatar',
          description: 'An https URL of the character’s picture',
          maxLength: CAST_LIMITS.avatarUrl,
          zh: { name: '头像', description: '角色头像的 https 链接' },
        },
      ],
      run: ({ options, session }) => addCastMember(session, options),
    }),
    {
      name: 'list',
      description: 'The story’s cast',
      zh: { name: '列表', description: '查看角色表' },
      options: [],
      run: ({ session }) => listCast(session),
    },
    subcommand({
      name: 'remove',
      description: 'Remove a character (one you added; managers: any)',
      zh: { name: '移除', description: '移除角色' },
      options: [
        {
          name: 'name',
          description: 'The character’s name',
          required: true,
          rest: true,
          maxLength: CAST_LIMITS.name,
          zh: { name: '名字', description: '角色的名字' },
        },
      ],
      run: ({ options, session }) => removeCastMember(session, options.name),
    }),
  ],
};

/** `/story note [text]`: the author's note (src/features/story/note.ts). */
export const note = subcommand({
  name: 'note',
  description: 'Set the author’s note that steers every beat (none: clear it)',
  zh: { name: '作者注', description: '设置引导每段故事的作者注（留空则清除）' },
  options: [
    { name: 'text', description: 'What the story should lean toward', rest: true, maxLength: MAX_NOTE, zh: { name: '内容', description: '故事的方向' } },
  ],
  run: ({ options, session }) => setNote(session, options.text),
});

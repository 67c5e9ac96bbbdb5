import { resolveCommand, usage, type CommandSpec } from '../src/engine/spec.js';

const help: CommandSpec = {
  name: 'help',
  slackName: 'muse-help',
  description: 'What Muse can do and how to ask',
  zh: { name: '帮助', description: 'Muse 能做什么' },
  options: [],
  async *run({ session }) {
    const lines = ['Muse tells stories with the whole channel, writes poems and tutors. Commands:'];
    for (const command of session.commands) {
      const calls = command.subcommands ? command.subcommands.map((s) => resolveCommand(command, s.name)!) : [resolveCommand(command)!];
      for (const call of calls) lines.push(`${usage(call)}: ${call.sub?.description ?? command.description}`);
    }
    lines.push('Options are written name:value (e.g. /poem autumn leaves form:haiku); anything else you write is a turn for the current persona.');
    yield* session.say(lines.join('\n'));
  },
};

export default help;

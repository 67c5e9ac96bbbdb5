import type { CommandSpec } from '../src/engine/spec.js';
import { showUsage } from '../src/features/usage/usage.js';

const usage: CommandSpec = {
  name: 'usage',
  description: "Your and this server's use of Muse today, and the limits",
  zh: { name: '用量', description: '你和本服务器今天的用量及限额' },
  options: [],
  run: ({ session }) => showUsage(session),
};

export default usage;

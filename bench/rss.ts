/** Child process of the bench: prints its RSS in MB after 10,000 conversations. */
import { rssAfterConversations } from './engine.js';

const rss = await rssAfterConversations(process.argv[2] ?? 'memory://', 10_000);
process.stdout.write(`${rss.toFixed(1)}\n`);
process.exit(0);

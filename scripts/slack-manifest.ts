/**
 * Writes the Slack app manifest generated from the command specs.
 *   npm run slack:manifest                                  Socket Mode, ./slack-manifest.yaml
 *   npm run slack:manifest -- --url https://muse.example.com  HTTP mode (request URLs)
 *   npm run slack:manifest -- --out path.yaml --name "Muse (dev)"   (--out - prints it)
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { commands, starters } from '../commands/index.js';
import { slackManifestYaml } from '../src/adapters/slack/manifest.js';

const { values } = parseArgs({
  options: { url: { type: 'string' }, out: { type: 'string', default: 'slack-manifest.yaml' }, name: { type: 'string' } },
});
if (values.url && !/^https?:\/\/[^/\s]+/.test(values.url)) {
  console.error(`--url must be the public base URL of Muse, e.g. https://muse.example.com (got "${values.url}").`);
  process.exit(1);
}
const yaml = slackManifestYaml(commands, { starters, ...(values.url ? { url: values.url } : {}), ...(values.name ? { name: values.name } : {}) });
if (values.out === '-') process.stdout.write(yaml);
else {
  const path = resolve(values.out);
  writeFileSync(path, yaml);
  console.log(`Wrote ${path} (${values.url ? 'HTTP mode' : 'Socket Mode'}).`);
}

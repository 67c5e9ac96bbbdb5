/**
 * Hostile input: `/lore import` of 8 MB World Info files shaped to hit each cap (through the
 * engine, from the attachment to the sentence), and the choice parser on adversarial replies of
 * ~20 kB. Each figure is the worst shape's, in milliseconds.
 */
import { performance } from 'node:perf_hooks';
import { parseChoices } from '../src/features/story/choices.js';
import { FakeBackend } from '../src/model/fake.js';
import { hostileBeats } from '../test/support/hostile-text.js';
import { WORLD_INFO_SHAPES, worldInfoOfSize } from '../test/support/hostile-lore.js';
import { benchEngineWith, round1 } from './support.js';

const MB = 1024 * 1024;

/** The longest time the event loop went without running an immediate, from now until stop(). */
function stallProbe(): { stop(): number } {
  let last = performance.now();
  let worst = 0;
  let on = true;
  const tick = () => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop() {
      on = false;
      return Math.max(worst, performance.now() - last);
    },
  };
}

export async function benchHostile(
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<{ lore_import_8mb_ms: number; choice_parse_hostile_ms: number }> {
  const { engine } = await benchEngineWith(new FakeBackend({ fallback: 'The harbour bell rings.' }));
  let importWorst = 0;
  for (const shape of WORLD_INFO_SHAPES) {
    const data = worldInfoOfSize(shape, 8 * MB);
    const stall = stallProbe();
    const start = performance.now();
    let outcome = '';
    for await (const part of engine.handle({
      conversation: { platform: 'bench', workspace: 'w', channel: `lore-${shape}` },
      speaker: { id: 'u1', name: 'Bench' },
      text: '/lore import',
      attachments: [{ name: 'world.json', data }],
      // The bench speaks as a manager: an import is a manager's command in a shared channel.
      canManage: () => true,
    })) {
      if (part.type === 'error' && part.code === 'forbidden') throw new Error(`the bench was refused the import: ${part.message}`);
      if (part.type === 'error' || part.type === 'text' || part.type === 'message') outcome += part.type === 'error' ? part.message : part.text;
      if (part.type === 'done' || part.type === 'error') break;
    }
    const ms = performance.now() - start;
    const blocked = stall.stop();
    importWorst = Math.max(importWorst, ms);
    log(
      `lore import of an 8 MB World Info file (${shape}, ${(data.byteLength / MB).toFixed(1)} MB): ${round1(ms)} ms, event loop held at most ${round1(blocked)} ms at a time: ${outcome.slice(0, 140)}`,
    );
  }

  let parseWorst = 0;
  for (const [name, make] of Object.entries(hostileBeats)) {
    const reply = make(20_000);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      parseChoices(reply);
      times.push(performance.now() - start);
    }
    const median = times.sort((a, b) => a - b)[2]!;
    parseWorst = Math.max(parseWorst, median);
    log(`choice parser on ${name} (${(reply.length / 1000).toFixed(1)} kB): ${median.toFixed(3)} ms`);
  }
  return { lore_import_8mb_ms: round1(importWorst), choice_parse_hostile_ms: Math.round(parseWorst * 1000) / 1000 };
}

import { describe, expect, it } from 'vitest';
import { features as registry } from '../../commands/index.js';
import { createEngine } from '../../src/app.js';
import type { Feature } from '../../src/engine/feature.js';
import type { CommandSpec } from '../../src/engine/spec.js';
import { openStore } from '../../src/memory/open-store.js';
import { FakeBackend } from '../../src/model/fake.js';
import { PersonaRegistry } from '../../src/personas/registry.js';
import { DATA_HEADER } from '../../src/engine/prompt.js';
import { alice, bob, channel, makeEngine, PERSONAS_DIR, withFeatures } from '../support/engine.js';

const personas = new PersonaRegistry([PERSONAS_DIR]);
const system = (t: Awaited<ReturnType<typeof makeEngine>>) => t.backend.lastCall!.messages[0]!.content;

describe('engine: features as plug-ins', () => {
  it('an engine without a feature knows nothing of it: no command, no hook, no prompt, no memory line', async () => {
    const t = await makeEngine({ features: registry.filter((f) => f.name !== 'story') });
    expect(t.engine.commands.map((c) => c.name)).toEqual(['poem', 'tutor', 'persona', 'lore', 'memory', 'model', 'language', 'usage', 'help']);
    expect((await t.send('/story new a fox')).error?.message).toBe('There is no command /story. Type /help to see the commands.');
    expect((await t.send('/help')).text).not.toContain('/story');
    // A story left in the settings by an engine that had the feature stays unread.
    await t.store.putMeta('test:w1:c1', {
      count: 0,
      base: 0,
      summary: '',
      summarizedUpTo: 0,
      persona: 'storyteller',
      updatedAt: 0,
      settings: { story: { premise: 'a fox', starterId: alice.id } },
    });
    await t.send('I wave');
    expect(system(t)).not.toMatch(/premise|Content rating/);
    expect((await t.send('/memory show')).text).not.toContain('Story:');
  });

  it('keeps the prompt exactly as the persona, the features and the conversation make it: instructions, rules last, then what people wrote as data', async () => {
    const t = await makeEngine();
    const storyteller = personas.get('storyteller')!.prompt;
    const tutor = personas.get('tutor')!.prompt;
    await t.send('/story new a brave fox');
    const story = t.backend.lastCall!.messages;
    expect(story[0]!.content).toBe(
      `${CHOICES}\n\n${storyteller}\n\nContent rating: this channel is not age-restricted, so keep the story suitable for all ages (no graphic violence, sexual content or strong language).`,
    );
    expect(story[1]).toEqual({ role: 'system', content: `${DATA_HEADER}\n\n⟦data: The story's premise⟧\na brave fox\n⟦end of data⟧` });
    expect(story.slice(2).map((m) => m.role)).toEqual(['user']);

    await t.send('/tutor fractions level:beginner', { conversation: { ...channel, channel: 'dm', dm: true } });
    const lesson = t.backend.lastCall!.messages;
    expect(lesson[0]!.content).toMatch(/^Tutoring: a new session begins\. .*\n\nThis is a private conversation with one person\.\n\n/);
    expect(lesson[0]!.content.endsWith(`\n\n${tutor}\n\nThe learner's level: beginner.`)).toBe(true);
    expect(lesson[1]!.content).toBe(`${DATA_HEADER}\n\n⟦data: This session's subject⟧\nfractions\n⟦end of data⟧`);
  });

  it('memory show asks each feature for its lines; memory clear asks each to forget', async () => {
    const forgotten: string[] = [];
    const notes: Feature = {
      name: 'notes',
      describe: (meta) => (typeof meta.settings.notes === 'string' ? [`Notes: ${meta.settings.notes}`] : []),
      forget: async (session) => {
        forgotten.push(session.key);
        await session.deleteRecord(`notes:${session.key}`);
      },
    };
    const t = await makeEngine({ features: withFeatures(notes) });
    await t.store.putMeta('test:w1:c1', {
      count: 0,
      base: 0,
      summary: '',
      summarizedUpTo: 0,
      persona: 'storyteller',
      updatedAt: 0,
      settings: { notes: 'bring a lantern' },
    });
    await t.store.setRecord('notes:test:w1:c1', { kept: true });
    expect((await t.send('/memory show')).text).toContain('Notes: bring a lantern');
    await t.send('/memory clear');
    expect(forgotten).toEqual(['test:w1:c1']);
    expect(await t.store.getRecord('notes:test:w1:c1')).toBeUndefined();
  });

  it('refuses two features with the same name, command or job', async () => {
    const store = await openStore('memory://');
    const make = (features: readonly Feature[]) => () => createEngine({ store, backend: async () => new FakeBackend(), personas, features });
    const again: CommandSpec = { name: 'poem', description: 'again', options: [], run: async function* () {} };
    expect(make([...registry, { name: 'story' }])).toThrow('Two features register the feature "story".');
    expect(make([...registry, { name: 'verse', commands: [again] }])).toThrow('Two features register the command "poem".');
    expect(make([...registry, { name: 'polls', jobs: { 'story.poll': async function* () {} } }])).toThrow('Two features handle the job "story.poll".');
  });

  it('updateRecord runs one change of a record at a time, so concurrent changes are all kept', async () => {
    const bump: CommandSpec = {
      name: 'bump',
      description: 'count',
      options: [],
      async *run({ session }) {
        const n = await session.updateRecord<number>('counter', (current) => (current ?? 0) + 1);
        yield* session.say(`now ${n}`);
      },
    };
    const t = await makeEngine({ features: withFeatures({ name: 'bump', commands: [bump] }) });
    // Ten conversations at once (each conversation's own lock does not serialise them).
    await Promise.all(Array.from({ length: 10 }, (_, i) => t.send('/bump', { conversation: { ...channel, channel: `c${i}` }, speaker: i % 2 ? alice : bob })));
    expect(await t.store.getRecord('counter')).toBe(10);
  });
});

const CHOICES =
  'After the narration, end this beat with 2 to 4 short choices for what the players could do next, as a numbered list, one per line (for example "1. Open the door"). Write nothing after the list.';

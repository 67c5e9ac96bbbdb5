import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { validateOptions } from '../../src/engine/options.js';
import { parseCommandLine } from '../../src/engine/text-command.js';

function parse(line: string) {
  const { resolved, options } = parseCommandLine(line, commands);
  return { path: resolved.path, options: validateOptions(resolved, options) };
}

describe('text-form commands', () => {
  it('parses the forms from the issue', () => {
    expect(parse('/poem autumn leaves form:haiku')).toEqual({ path: 'poem', options: { topic: 'autumn leaves', form: 'haiku' } });
    expect(parse('/story new a brave fox persona:storyteller')).toEqual({ path: 'story new', options: { premise: 'a brave fox', persona: 'storyteller' } });
    expect(parse('/lore add key:Ember a red dragon who guards the pass')).toEqual({
      path: 'lore add',
      options: { key: 'Ember', text: 'a red dragon who guards the pass' },
    });
  });

  it('lets a named free-text option run to the next option, in any order', () => {
    expect(parse('/story new persona:poet premise:a brave fox at dusk')).toEqual({
      path: 'story new',
      options: { premise: 'a brave fox at dusk', persona: 'poet' },
    });
    expect(parse('/tutor subject:linear algebra level:advanced')).toEqual({ path: 'tutor start', options: { subject: 'linear algebra', level: 'advanced' } });
    expect(parse('/poem form:sonnet topic:the sea at night')).toEqual({ path: 'poem', options: { topic: 'the sea at night', form: 'sonnet' } });
  });

  it('parses a subcommand of a group: /story cast add NAME [persona:…] [avatar:URL]', () => {
    expect(parse('/story cast add Old Tom persona:storyteller avatar:https://cdn.example.com/t.png')).toEqual({
      path: 'story cast add',
      options: { name: 'Old Tom', persona: 'storyteller', avatar: 'https://cdn.example.com/t.png' },
    });
    expect(parse('/story cast list')).toEqual({ path: 'story cast list', options: {} });
    expect(parse('/story CAST Remove Mira')).toEqual({ path: 'story cast remove', options: { name: 'Mira' } });
    expect(() => parse('/story cast')).toThrow('/story cast needs a subcommand; try one of: add, list, remove.');
    expect(() => parse('/story cast kick Mira')).toThrow('/story cast has no subcommand "kick"; try one of: add, list, remove.');
  });

  it('fills one-word options from bare words and accepts quotes', () => {
    expect(parse('/persona use poet')).toEqual({ path: 'persona use', options: { name: 'poet' } });
    expect(parse('/lore remove key:"Ember Hall"')).toEqual({ path: 'lore remove', options: { key: 'Ember Hall' } });
    expect(parse('/lore add key:"Ember Hall" the old keep')).toEqual({ path: 'lore add', options: { key: 'Ember Hall', text: 'the old keep' } });
  });

  it('uses the default subcommand and the Slack name', () => {
    expect(parse('/tutor fractions')).toEqual({ path: 'tutor start', options: { subject: 'fractions' } });
    expect(parse('/muse-help')).toEqual({ path: 'help', options: {} });
    expect(parse('/STORY continue')).toEqual({ path: 'story continue', options: {} });
  });

  it('keeps text that only looks like an option, and multi-line premises', () => {
    expect(parse('/story new note: the fox is blue')).toEqual({ path: 'story new', options: { premise: 'note: the fox is blue' } });
    expect(parse('/story new line one\nline two')).toEqual({ path: 'story new', options: { premise: 'line one\nline two' } });
  });

  it('matches choices by value or label, case-insensitively', () => {
    expect(parse('/poem rain form:HAIKU').options.form).toBe('haiku');
    expect(parse('/poem 春 form:五言绝句').options.form).toBe('jueju5');
  });

  it('explains what is wrong', () => {
    expect(() => parse('/persona use poet extra')).toThrow('I didn\'t understand "extra" in /persona use. Write options as name:value.');
    expect(() => parse('/poem x form:haiku form:tanka')).toThrow('The option form: is given twice.');
    expect(() => parse('/')).toThrow('That command is empty. Type /help to see the commands.');
    expect(() => parse('/poem ' + 'x'.repeat(600))).toThrow('The topic is 600 characters long; /poem takes at most 500.');
  });
});

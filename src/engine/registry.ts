import { addSentences, type Translate } from '../i18n/index.js';
import type { ConversationMeta } from '../memory/types.js';
import type { ConversationRef } from './conversation.js';
import type { Feature, JobHandler, Starter, TurnHook } from './feature.js';
import type { Rating } from './guard.js';
import type { PromptSource } from './prompt.js';
import type { ContextSlot } from './reply.js';
import type { Session } from './session.js';
import type { CommandRegistry, CommandSpec } from './spec.js';

/**
 * What the engine derives from the features it is given, in their order: the commands, the
 * turn hooks, the prompt sources, the jobs by name. Two features may not share a name, a
 * command or a job (a wiring mistake, thrown at start).
 */
export class Registry implements CommandRegistry {
  readonly commands: readonly CommandSpec[];
  readonly turnHooks: readonly TurnHook[];
  readonly prompts: readonly PromptSource[];
  readonly jobs: Readonly<Record<string, JobHandler>>;
  readonly starters: readonly Starter[];
  /** The settings a fresh start keeps (see Feature.keepsSettings). */
  readonly keptSettings: readonly string[];

  constructor(readonly features: readonly Feature[]) {
    unique(
      features.map((f) => f.name),
      'feature',
    );
    this.commands = features.flatMap((f) => f.commands ?? []);
    unique(
      this.commands.flatMap((c) => [c.name, ...(c.slackName ? [c.slackName] : [])]),
      'command',
    );
    this.turnHooks = features.flatMap((f) => f.turnHooks ?? []);
    this.prompts = features.flatMap((f) => (f.prompt ? [f.prompt] : []));
    this.starters = features.flatMap((f) => f.starters ?? []);
    this.keptSettings = features.flatMap((f) => (f.keepsSettings ? [f.name] : []));
    const jobs: Record<string, JobHandler> = {};
    for (const f of features) {
      for (const [name, handler] of Object.entries(f.jobs ?? {})) {
        if (Object.hasOwn(jobs, name)) throw new Error(`Two features handle the job "${name}".`);
        jobs[name] = handler;
      }
    }
    this.jobs = jobs;
    for (const f of features) if (f.sentences) addSentences(f.name, f.sentences);
  }

  /** The features' context slots, made for one engine. */
  slots(): ContextSlot[] {
    return this.features.flatMap((f) => (f.context ? [f.context()] : []));
  }

  /** The first feature's rating of the conversation, else all-ages. */
  rating(ref: ConversationRef, meta: ConversationMeta): Rating {
    for (const f of this.features) {
      const rating = f.rating?.(ref, meta);
      if (rating) return rating;
    }
    return 'all-ages';
  }

  describe(meta: ConversationMeta, t: Translate): string[] {
    return this.features.flatMap((f) => f.describe?.(meta, t) ?? []);
  }

  async forget(session: Session): Promise<void> {
    for (const f of this.features) await f.forget?.(session);
  }
}

function unique(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new Error(`Two features register the ${what} "${name}".`);
    seen.add(name);
  }
}

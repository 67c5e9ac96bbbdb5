import { randomUUID } from 'node:crypto';
import { openCoordination, type Records } from '../memory/coordination.js';
import type { ConversationStore } from '../memory/types.js';
import { KeyedLock } from '../util/lock.js';
import { PERSONA_LIMITS, type Persona, type PersonaFields, type PersonaImport, type PersonaMode } from './schema.js';

/**
 * Personas imported from character cards, kept in the store per tenant (a Discord server, a
 * Slack workspace, or the user in DMs): `persona:<tenant>:<name>` holds one persona with who
 * imported it, when and from which file; `persona-card:<tenant>:<name>:<id>` the card it was made
 * from; `personas:<tenant>` the tenant's index (name, description, mode of each), which list and
 * autocomplete read and which caps the count. A tenant reads and writes only its own keys.
 *
 * Saving writes the card, then the persona, then adds it to the index (a compare-and-set, which
 * checks the cap again); when a step fails or the cap was reached meanwhile, what was written is
 * taken back, so nothing is left half-imported.
 */
export class ImportedPersonas {
  /** Saves and removals of one tenant take turns in this process (the index is a compare-and-set across processes). */
  private readonly lock = new KeyedLock();

  constructor(
    private readonly store: ConversationStore,
    private readonly maxPerTenant: number = PERSONA_LIMITS.perTenant,
  ) {}

  /** The tenant's persona `name`, or undefined. */
  async get(tenant: string, name: string): Promise<Persona | undefined> {
    return toPersona(await this.store.getRecord<StoredPersona>(personaKey(tenant, name)));
  }

  /** The tenant's imported personas, by name. */
  async list(tenant: string): Promise<ImportedSummary[]> {
    return (await this.store.getRecord<PersonaIndex>(indexKey(tenant)))?.personas ?? [];
  }

  /** The card JSON the tenant's persona `name` was made from. */
  async card(tenant: string, name: string): Promise<string | undefined> {
    const stored = await this.store.getRecord<StoredPersona>(personaKey(tenant, name));
    return stored ? this.store.getRecord<string>(stored.cardKey) : undefined;
  }

  /** How many personas one tenant may import. */
  get limit(): number {
    return this.maxPerTenant;
  }

  /**
   * Saves `persona` for `source.tenant`, replacing the tenant's persona of that name if any.
   * 'full': the tenant has as many as it may and this is a new name; nothing was kept.
   */
  async save(persona: PersonaFields, source: PersonaImport & { cardJson: string }): Promise<'added' | 'replaced' | 'full'> {
    const { tenant } = source;
    const release = await this.lock.acquire(tenant);
    try {
      const listed = await this.list(tenant);
      const known = listed.some((p) => p.name === persona.name);
      if (!known && listed.length >= this.maxPerTenant) return 'full';
      const key = personaKey(tenant, persona.name);
      const previous = await this.store.getRecord<StoredPersona>(key);
      const cardKey = `persona-card:${tenant}:${persona.name}:${randomUUID()}`;
      const { cardJson, ...imported } = source;
      await this.store.setRecord(cardKey, cardJson);
      const stored: StoredPersona = { ...fieldsOf(persona), imported, cardKey };
      let outcome = 'full' as 'added' | 'replaced' | 'full';
      try {
        await this.store.setRecord(key, stored);
        await this.updateIndex(tenant, (entries) => {
          const others = entries.filter((p) => p.name !== persona.name);
          outcome = others.length < entries.length ? 'replaced' : others.length >= this.maxPerTenant ? 'full' : 'added';
          if (outcome === 'full') return entries;
          return [...others, { name: persona.name, description: persona.description, mode: persona.mode }].sort((a, b) => a.name.localeCompare(b.name));
        });
      } catch (err) {
        await this.takeBack(key, previous, cardKey);
        throw err;
      }
      if (outcome === 'full') await this.takeBack(key, previous, cardKey);
      else if (previous && previous.cardKey !== cardKey) await this.quietly(() => this.store.deleteRecord(previous.cardKey));
      return outcome;
    } finally {
      release();
    }
  }

  /** Removes the tenant's persona `name` and its card; false when the tenant has none of that name. */
  async remove(tenant: string, name: string): Promise<boolean> {
    const release = await this.lock.acquire(tenant);
    try {
      const key = personaKey(tenant, name);
      const stored = await this.store.getRecord<StoredPersona>(key);
      const listed = (await this.list(tenant)).some((p) => p.name === name);
      if (!stored && !listed) return false;
      await this.store.deleteRecord(key);
      await this.updateIndex(tenant, (entries) => entries.filter((p) => p.name !== name));
      if (stored) await this.quietly(() => this.store.deleteRecord(stored.cardKey));
      return true;
    } finally {
      release();
    }
  }

  /** Changes the tenant's index: a compare-and-set where the store has one, else under the lock held. */
  private async updateIndex(tenant: string, change: (entries: ImportedSummary[]) => ImportedSummary[]): Promise<void> {
    const next = (current: PersonaIndex | undefined): PersonaIndex | undefined => {
      const entries = change(current?.personas ?? []);
      return entries.length ? { personas: entries } : undefined;
    };
    const records = recordsOf(this.store);
    if (records) {
      await records.update<PersonaIndex>(indexKey(tenant), next);
      return;
    }
    const value = next(await this.store.getRecord<PersonaIndex>(indexKey(tenant)));
    if (value) await this.store.setRecord(indexKey(tenant), value);
    else await this.store.deleteRecord(indexKey(tenant));
  }

  /** Puts the persona record back as it was before a save, and drops the card that save wrote. */
  private async takeBack(key: string, previous: StoredPersona | undefined, cardKey: string): Promise<void> {
    await this.quietly(() => (previous ? this.store.setRecord(key, previous) : this.store.deleteRecord(key)));
    await this.quietly(() => this.store.deleteRecord(cardKey));
  }

  /** Clean-up that must not hide the error being reported. */
  private async quietly(work: () => Promise<void>): Promise<void> {
    await work().catch(() => undefined);
  }
}

/** What the index keeps of each imported persona. */
export interface ImportedSummary {
  name: string;
  description: string;
  mode: PersonaMode;
}

interface PersonaIndex {
  personas: ImportedSummary[];
}

interface StoredPersona extends PersonaFields {
  imported: PersonaImport;
  cardKey: string;
}

function personaKey(tenant: string, name: string): string {
  return `persona:${tenant}:${name}`;
}

function indexKey(tenant: string): string {
  return `personas:${tenant}`;
}

function fieldsOf(p: PersonaFields): PersonaFields {
  return {
    name: p.name,
    description: p.description,
    mode: p.mode,
    temperature: p.temperature,
    maxOutputTokens: p.maxOutputTokens,
    greeting: p.greeting,
    prompt: p.prompt,
  };
}

function toPersona(stored: StoredPersona | undefined): Persona | undefined {
  if (!stored || typeof stored.name !== 'string' || typeof stored.prompt !== 'string' || !stored.imported) return undefined;
  return { ...fieldsOf(stored), imported: stored.imported };
}

/** The store's record compare-and-set, when it was opened by openStore (every store Muse runs on). */
function recordsOf(store: ConversationStore): Records | undefined {
  try {
    return openCoordination(store).records;
  } catch {
    return undefined;
  }
}

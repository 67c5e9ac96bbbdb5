import type { ConversationMeta } from '../memory/types.js';
import type { PersonaCatalog } from '../personas/catalog.js';
import type { Persona } from '../personas/schema.js';
import { UserFacingError } from './parts.js';
import { personaNamed } from './personas.js';

/**
 * The personas one session has in hand: the built-ins, and the imported ones it has looked up
 * (by tenant and name), so a session answers persona() without asking the store again.
 */
export class SessionPersonas {
  private readonly imported = new Map<string, Persona>();

  constructor(
    readonly catalog: PersonaCatalog,
    private readonly defaultName: string,
  ) {}

  /** The meta's persona: an imported one as loaded or looked up, else the built-in of its name, or the default one. */
  of(meta: Pick<ConversationMeta, 'persona' | 'personaTenant'>): Persona {
    const { persona: name, personaTenant: tenant } = meta;
    const chosen = tenant ? this.imported.get(importKey(tenant, name)) : this.catalog.builtIns.get(name);
    return chosen ?? this.fallback();
  }

  /** The persona of a new conversation (MUSE_DEFAULT_PERSONA), or the first built-in one. */
  fallback(): Persona {
    const builtIns = this.catalog.builtIns;
    const persona = builtIns.get(this.defaultName) ?? builtIns.list()[0];
    if (!persona) throw UserFacingError.of('internal', 'engine.noPersonas');
    return persona;
  }

  /** Loads the meta's imported persona; false when its tenant removed it (a built-in is always there). */
  async load(meta: Pick<ConversationMeta, 'persona' | 'personaTenant'>): Promise<boolean> {
    const { persona: name, personaTenant: tenant } = meta;
    if (!tenant) return true;
    const persona = await this.catalog.imported.get(tenant, name);
    if (persona) this.imported.set(importKey(tenant, name), persona);
    return !!persona;
  }

  /** Looks a persona up by name as `tenant` sees it, with a clear sentence when it is unknown or broken. */
  async named(tenant: string, name: string): Promise<Persona> {
    const persona = await personaNamed(this.catalog, tenant, name);
    if (persona.imported) this.imported.set(importKey(persona.imported.tenant, persona.name), persona);
    return persona;
  }
}

function importKey(tenant: string, name: string): string {
  return `${tenant}\n${name}`;
}

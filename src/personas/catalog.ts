import type { ConversationStore } from '../memory/types.js';
import { ImportedPersonas, type ImportedSummary } from './imported.js';
import type { PersonaRegistry } from './registry.js';
import { PERSONA_NAME, type Persona } from './schema.js';

/** MUSE_PERSONA_IMPORT: who may import personas (managers; in DMs and the terminal, the user), or nobody. */
export type PersonaImportPolicy = 'managers' | 'off';

/**
 * Every persona a conversation can name: the built-in ones (the operator's files, shared by
 * everyone) and the ones its tenant imported (in the store). A tenant's import comes first, then
 * a built-in of the name; one tenant never sees another's imports.
 */
export class PersonaCatalog {
  readonly imported: ImportedPersonas;

  constructor(
    readonly builtIns: PersonaRegistry,
    store: ConversationStore,
    readonly importPolicy: PersonaImportPolicy = 'managers',
  ) {
    this.imported = new ImportedPersonas(store);
  }

  /** The persona `name` as `tenant` sees it, or undefined. */
  async find(tenant: string, name: string): Promise<Persona | undefined> {
    const wanted = name.trim().toLowerCase();
    if (!PERSONA_NAME.test(wanted)) return undefined;
    return (await this.imported.get(tenant, wanted)) ?? this.builtIns.get(wanted);
  }

  /** What `tenant` can choose from: the built-ins and its own imports, each by name. */
  async list(tenant: string): Promise<{ builtIn: Persona[]; imported: ImportedSummary[] }> {
    return { builtIn: this.builtIns.list(), imported: await this.imported.list(tenant) };
  }
}

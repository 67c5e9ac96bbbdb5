import { basename } from 'node:path';
import type { ConversationMeta } from '../memory/types.js';
import type { PersonaCatalog } from '../personas/catalog.js';
import type { Persona } from '../personas/schema.js';
import { UserFacingError } from './parts.js';

/**
 * What a command needs of the personas, checked before anything is done for it: imports switched
 * on (its 'persona-import' requirement), and every persona its options name known to `tenant`.
 */
export async function checkPersonas(
  // A command plan's parts this needs (not the CommandPlan type itself: plan.ts imports the session, which imports this).
  plan: { requires: readonly string[]; options: Readonly<Record<string, unknown>>; resolved: { options: readonly { name: string; autocomplete?: string }[] } },
  catalog: PersonaCatalog,
  tenant: string,
): Promise<void> {
  if (plan.requires.includes('persona-import') && catalog.importPolicy === 'off') {
    throw UserFacingError.of('forbidden', 'engine.importsOff');
  }
  for (const option of plan.resolved.options) {
    const value = plan.options[option.name];
    if (option.autocomplete === 'persona' && typeof value === 'string') await personaNamed(catalog, tenant, value);
  }
}

/** The persona `name` as `tenant` sees it, with a clear sentence when it is unknown or broken. */
export async function personaNamed(catalog: PersonaCatalog, tenant: string, name: string): Promise<Persona> {
  const persona = await catalog.find(tenant, name);
  if (persona) return persona;
  const broken = catalog.builtIns.errorFor(name);
  if (broken) throw UserFacingError.of('bad_input', 'engine.personaBroken', { name, file: basename(broken.file), problem: broken.message });
  const { builtIn, imported } = await catalog.list(tenant);
  const names = [...new Set([...builtIn, ...imported].map((p) => p.name))].sort().join(', ');
  throw UserFacingError.of('bad_input', 'engine.noPersona', { name, names });
}

/** A value to offer while an option is typed, with its label. */
export interface Suggestion {
  value: string;
  label: string;
}

/** Personas `tenant` can choose whose name starts with, or whose description contains, what was typed. */
export async function suggestPersonas(catalog: PersonaCatalog, tenant: string, typed: string): Promise<Suggestion[]> {
  const prefix = typed.trim().toLowerCase();
  const { builtIn, imported } = await catalog.list(tenant);
  const byName = new Map([...builtIn, ...imported].map((p) => [p.name, p]));
  return [...byName.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .filter((p) => p.name.startsWith(prefix) || p.description.toLowerCase().includes(prefix))
    .map((p) => ({ value: p.name, label: `${p.name}: ${p.description}`.slice(0, 100) }));
}

/** The meta with `persona` in use: its name, and for an imported one the tenant it belongs to. */
export function withPersona(meta: ConversationMeta, persona: Persona): ConversationMeta {
  const next: ConversationMeta = { ...meta, persona: persona.name };
  if (persona.imported) next.personaTenant = persona.imported.tenant;
  else delete next.personaTenant;
  return next;
}

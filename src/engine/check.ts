import type { PersonaCatalog } from '../personas/catalog.js';
import { tenantOf } from './conversation.js';
import { forbidden } from './manager.js';
import { UserFacingError } from './parts.js';
import { checkPersonas } from './personas.js';
import { refusal, type Plan, type RunContext } from './plan.js';

/**
 * Checks what a command needs before anything is done for it (a thread opened, a file
 * downloaded): the speaker's permission (`manager`, see managerCheck: it fails closed), and what
 * it needs of the personas (checkPersonas). Returns the plan, checked, or a refusal.
 */
export async function checkPlan(
  plan: Plan,
  who: Pick<RunContext, 'conversation' | 'speaker'>,
  manager: () => Promise<boolean>,
  personas: PersonaCatalog,
): Promise<Plan> {
  if (plan.kind !== 'command' || plan.checked) return plan;
  try {
    if (plan.requires.includes('manager') && !(await manager())) throw forbidden({ key: 'manager.use', vars: { command: plan.path } });
    await checkPersonas(plan, personas, tenantOf(who.conversation, who.speaker.id));
  } catch (err) {
    if (err instanceof UserFacingError) return refusal(err);
    throw err;
  }
  return { ...plan, checked: true };
}

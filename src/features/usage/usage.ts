import type { UsageReport } from '../../engine/guard.js';
import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';

const tokens = (n: number) => `${n.toLocaleString('en-US')} token${n === 1 ? '' : 's'}`;

/** The lines of /usage: the caller's and the tenant's tokens today (UTC), and the limits. */
export function usageLines(report: UsageReport, tenantWord: string): string[] {
  const budget = report.budgetTokens === undefined ? 'no daily budget' : `a budget of ${tokens(report.budgetTokens)} a day`;
  return [
    `**Your use today** (${report.day}, UTC): ${tokens(report.userTokens)}.`,
    `**This ${tenantWord}'s use today:** ${tokens(report.tenantTokens)}, of ${budget}.`,
    `**Limits:** you, ${report.userLimit ?? 'no limit'}; this ${tenantWord}, ${report.tenantLimit ?? 'no limit'} (actions that call the model).`,
  ];
}

/** /usage: private everywhere; calls no model, so it costs nothing. */
export async function* showUsage(session: Session): AsyncGenerator<ReplyPart> {
  const report = await session.deps.guard.usage(session.fair.who());
  const word = session.ref.dm ? 'conversation' : session.ref.platform === 'discord' ? 'server' : 'workspace';
  yield* session.say(usageLines(report, word).join('\n'), true);
}

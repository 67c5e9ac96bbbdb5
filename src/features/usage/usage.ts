import type { UsageReport } from '../../engine/guard.js';
import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import type { Localized, Translate } from '../../i18n/index.js';

/** The lines of /usage: the caller's and the tenant's tokens today (UTC), and the limits, in the language of `t`. */
export function usageLines(report: UsageReport, tenant: Localized, t: Translate): string[] {
  const tokens = (n: number) => (n === 1 ? t('usage.tokenOne') : t('usage.tokens', { n: n.toLocaleString('en-US') }));
  const budget = report.budgetTokens === undefined ? t('usage.noBudget') : t('usage.budget', { tokens: tokens(report.budgetTokens) });
  return [
    t('usage.you', { day: report.day, tokens: tokens(report.userTokens) }),
    t('usage.tenant', { tenant, tokens: tokens(report.tenantTokens), budget }),
    t('usage.limits', { user: report.userLimit ?? t('usage.noLimit'), tenant, tenantLimit: report.tenantLimit ?? t('usage.noLimit') }),
  ];
}

/** /usage: private everywhere; calls no model, so it costs nothing. */
export async function* showUsage(session: Session): AsyncGenerator<ReplyPart> {
  const report = await session.deps.guard.usage(session.fair.who());
  const tenant: Localized = session.ref.dm
    ? { key: 'usage.conversation' }
    : session.ref.platform === 'discord'
      ? { key: 'usage.server' }
      : { key: 'usage.workspace' };
  yield* session.say(usageLines(report, tenant, session.t).join('\n'), true);
}

import type { UsageLimit, UsageReport } from '../../engine/guard.js';
import { durationText } from '../../limits/rule.js';
import type { ReplyPart } from '../../engine/parts.js';
import type { Session } from '../../engine/session.js';
import type { Localized, Translate } from '../../i18n/index.js';

/** The lines of /usage: the caller's and the tenant's tokens today (UTC), and the limits, in the language of `t`. */
export function usageLines(report: UsageReport, tenant: Localized, t: Translate): string[] {
  const tokens = (n: number) => (n === 1 ? t('usage.tokenOne') : t('usage.tokens', { n: n.toLocaleString('en-US') }));
  const budget = report.budgetTokens === undefined ? t('usage.noBudget') : t('usage.budget', { tokens: tokens(report.budgetTokens) });
  const limit = (rule: UsageLimit | undefined) => (rule ? rate(rule, t) : t('usage.noLimit'));
  return [
    t('usage.you', { day: report.day, tokens: tokens(report.userTokens) }),
    t('usage.tenant', { tenant, tokens: tokens(report.tenantTokens), budget }),
    t('usage.limits', { user: limit(report.userLimit), tenant, tenantLimit: limit(report.tenantLimit) }),
  ];
}

/** A limit in words: "20 per 10 minutes", "5 an hour" (每 10 分钟 20 次, 每小时 5 次). */
function rate(rule: UsageLimit, t: Translate): string {
  const n = rule.points.toLocaleString('en-US');
  switch (rule.durationMs) {
    case 86_400_000:
      return t('usage.perDay', { n });
    case 3_600_000:
      return t('usage.perHour', { n });
    case 60_000:
      return t('usage.perMinute', { n });
    case 1000:
      return t('usage.perSecond', { n });
    default:
      return t('usage.rate', { n, window: durationText(rule.durationMs) });
  }
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

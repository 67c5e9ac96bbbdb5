/** The poem checker against the labelled set in test/fixtures/poems/*.yaml (see poems.ts). */
import { checkerAgreement } from './poems.js';

export async function benchPoetry(): Promise<{ poem_checker_agreement: number }> {
  const { agreement } = await checkerAgreement();
  return { poem_checker_agreement: Math.round(agreement * 1000) / 1000 };
}

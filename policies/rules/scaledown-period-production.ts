import { isHttpScaledObject, isNumber, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

/** The HTTP add-on's scaledownPeriod default, which the lesson calls the production floor. */
export const PRODUCTION_SCALEDOWN_SECONDS = 300;

const INFO: RuleInfo = {
  name: 'scaledown-period-production',
  level: 'advisory',
  description: `An HTTPScaledObject scaledownPeriod under ${PRODUCTION_SCALEDOWN_SECONDS} s is a demo setting: a user who pauses longer than that between messages pays a full cold start (10–30 s, more with a new node) on the next one. Interactive agents want 600–900 s.`,
  pitfall: 'Your first HTTPScaledObject ("lowered from default 300s for class demo … bump it back up to 300+ in production"); Cold-Start Engineering #3 "Tune scaledownPeriod"',
};

/** Added rule: an HTTPScaledObject keeps pods warm for at least the production default. */
export function scaledownPeriodProduction(objects: readonly KubeObject[]): Violation[] {
  return objects.filter(isHttpScaledObject).flatMap((o) => {
    const period = specOf(o).scaledownPeriod;
    if (!isNumber(period) || period >= PRODUCTION_SCALEDOWN_SECONDS) return [];
    return [
      violation(
        INFO,
        o,
        `scaledownPeriod is ${period}s: every pause longer than that costs the next request a full cold start`,
        `set spec.scaledownPeriod to at least ${PRODUCTION_SCALEDOWN_SECONDS} (600–900 for interactive agents)`,
      ),
    ];
  });
}

export const scaledownPeriodProductionRule: ManifestRule = { ...INFO, check: scaledownPeriodProduction };

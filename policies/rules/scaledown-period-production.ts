import { httpEntries } from '../http-entry';
import { isHttpScaledObject, isNumber, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

/** The HTTP add-on's scaledownPeriod default, which the lesson calls the production floor. */
export const PRODUCTION_SCALEDOWN_SECONDS = 300;

const INFO: RuleInfo = {
  name: 'scaledown-period-production',
  level: 'advisory',
  description: `An HTTP tenant that scales to zero after less than ${PRODUCTION_SCALEDOWN_SECONDS} s idle (HTTPScaledObject scaledownPeriod, or the cooldownPeriod of the ScaledObject behind an InterceptorRoute) is on a demo setting: a user who pauses longer than that between messages pays a full cold start (10–30 s, more with a new node) on the next one. Interactive agents want 600–900 s.`,
  pitfall: 'Your first HTTPScaledObject ("lowered from default 300s for class demo … bump it back up to 300+ in production"); Cold-Start Engineering #3 "Tune scaledownPeriod"',
};

/**
 * The ScaledObjects that wake an InterceptorRoute's workload and may take it to zero: KEDA's
 * minReplicaCount defaults to 0 and cooldownPeriod to 300 s (kedacore/keda@v2.20.2
 * pkg/scaling/executor/scale_executor.go:36 `defaultCooldownPeriod = 5 * 60`, applied at scale_scaledobjects.go:207), so an unset cooldown
 * is the production floor itself.
 */
function interceptorScalersToZero(objects: readonly KubeObject[]): KubeObject[] {
  return httpEntries(objects)
    .filter((e) => e.model === 'InterceptorRoute' && e.scaler !== undefined)
    .map((e) => e.scaler!)
    .filter((so) => (specOf(so).minReplicaCount ?? 0) === 0);
}

/** Added rule: an HTTP tenant keeps pods warm for at least the production default, on either add-on model. */
export function scaledownPeriodProduction(objects: readonly KubeObject[]): Violation[] {
  const legacy = objects.filter(isHttpScaledObject).flatMap((o) => {
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
  const routed = [...new Set(interceptorScalersToZero(objects))].flatMap((so) => {
    const period = specOf(so).cooldownPeriod;
    if (!isNumber(period) || period >= PRODUCTION_SCALEDOWN_SECONDS) return [];
    return [
      violation(
        INFO,
        so,
        `cooldownPeriod is ${period}s on the ScaledObject behind an InterceptorRoute: every pause longer than that costs the next request a full cold start`,
        `set spec.cooldownPeriod to at least ${PRODUCTION_SCALEDOWN_SECONDS} (600–900 for interactive agents; scaling.scaledownPeriod in tenants.yaml)`,
      ),
    ];
  });
  return [...legacy, ...routed];
}

export const scaledownPeriodProductionRule: ManifestRule = { ...INFO, check: scaledownPeriodProduction };

import { containersOf, indexObjects, ref, scalersOf, targetOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'http-scaled-has-readiness',
  level: 'mandatory',
  description:
    'The interceptor releases the requests it holds during a cold start as soon as the pod is Ready. Without a readiness probe a container is Ready the moment it starts, before the app listens, so the first request after sleep fails with a connection error.',
  pitfall: 'Cold-start in detail ("t=12.0s Readiness probe passes / t=12.5s Request forwarded"); "Once the pod\'s readiness probe passes, the interceptor forwards the queued request"',
};

/** Rule 13: every serving container of an HTTP-scaled workload has a readiness probe. */
export function httpScaledHasReadiness(objects: readonly KubeObject[]): Violation[] {
  const index = indexObjects(objects);
  const out: Violation[] = [];
  const seen = new Set<KubeObject>();
  for (const scaler of scalersOf(objects)) {
    if (scaler.object.kind !== 'HTTPScaledObject' && !isInterceptorDriven(scaler.object)) continue;
    const workload = targetOf(scaler, index);
    if (!workload || seen.has(workload)) continue;
    seen.add(workload);
    const containers = containersOf(workload);
    const serving = containers.some((c) => (c.ports ?? []).length > 0) ? containers.filter((c) => (c.ports ?? []).length > 0) : containers;
    for (const c of serving) {
      if (c.readinessProbe) continue;
      out.push(
        violation(
          INFO,
          workload,
          `container "${c.name}" has no readinessProbe, but ${ref(scaler.object)} wakes ${ref(workload)} on HTTP: the pod counts as Ready before the app listens, and the interceptor forwards the held request into a refused connection`,
          `add containers[${c.name}].readinessProbe (httpGet on the app's health path, periodSeconds: 1 for fast wake-up)`,
        ),
      );
    }
  }
  return out;
}

/**
 * A ScaledObject woken by the HTTP add-on: an `external-push` trigger naming an InterceptorRoute (or
 * an HTTPScaledObject), kedacore/http-add-on@v0.15.0 pkg/k8s/scaledobject.go:15-17.
 */
function isInterceptorDriven(o: KubeObject): boolean {
  const triggers = (o.spec as { triggers?: { type?: string; metadata?: Record<string, unknown> }[] } | undefined)?.triggers;
  return o.kind === 'ScaledObject' && Array.isArray(triggers) && triggers.some((t) => t?.type === 'external-push' && (t.metadata?.interceptorRoute !== undefined || t.metadata?.httpScaledObject !== undefined));
}

export const httpScaledHasReadinessRule: ManifestRule = { ...INFO, check: httpScaledHasReadiness };

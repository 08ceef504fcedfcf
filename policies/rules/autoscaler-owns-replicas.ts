import { indexObjects, ref, scalersOf, specOf, targetOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'autoscaler-owns-replicas',
  level: 'mandatory',
  description:
    'A workload scaled by an HPA, ScaledObject or HTTPScaledObject must not set spec.replicas: every `pulumi up` or GitOps sync resets the count the autoscaler chose (a scaled-out tenant drops to the manifest value, a sleeping one wakes), and server-side apply fails with a field conflict on .spec.replicas.',
  pitfall: 'Common Pitfalls #7 "two autoscalers fighting" (the IaC tool is the second one); Lab Errors "Two HPAs visible on one Deployment, replicas oscillate"',
};

/** Rule 2: a workload an autoscaler scales leaves `spec.replicas` to it. */
export function autoscalerOwnsReplicas(objects: readonly KubeObject[]): Violation[] {
  const index = indexObjects(objects);
  const out: Violation[] = [];
  const reported = new Set<unknown>();
  for (const scaler of scalersOf(objects)) {
    const workload = targetOf(scaler, index);
    if (!workload || reported.has(workload)) continue;
    const replicas = specOf(workload).replicas;
    if (replicas === undefined || replicas === null) continue;
    reported.add(workload);
    out.push(
      violation(
        INFO,
        workload,
        `sets spec.replicas: ${JSON.stringify(replicas)} although ${ref(scaler.object)} owns the replica count; every sync would fight the autoscaler`,
        'delete spec.replicas from the manifest (cdk8s-plus: deployment.markHasAutoscaler(); Pulumi: ignoreChanges ["spec.replicas"])',
      ),
    );
  }
  return out;
}

export const autoscalerOwnsReplicasRule: ManifestRule = { ...INFO, check: autoscalerOwnsReplicas };

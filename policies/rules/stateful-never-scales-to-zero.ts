import { indexObjects, namespacesByName, ref, scalersOf, statefulReason, targetOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'stateful-never-scales-to-zero',
  level: 'mandatory',
  description:
    'Scaling a stateful workload to zero drops its in-memory state, connection pools and paired sessions (a WhatsApp session must be re-paired; a database loses its clients). StatefulSets and tenants marked stateful keep at least one replica, idle or not.',
  pitfall: 'When NOT to Scale to Zero (databases, brokers, OpenClaw-style runtimes need minReplicaCount: 1); Safety Notes "Don\'t scale stateful workloads"',
};

/** Rule 6: autoscalers of stateful workloads keep min ≥ 1 (and idleReplicaCount ≥ 1). */
export function statefulNeverScalesToZero(objects: readonly KubeObject[]): Violation[] {
  const index = indexObjects(objects);
  const namespaces = namespacesByName(objects);
  const out: Violation[] = [];
  for (const scaler of scalersOf(objects)) {
    const workload = targetOf(scaler, index);
    if (!workload) continue;
    const why = statefulReason(workload, namespaces.get(scaler.namespace));
    if (!why) continue;
    const field =
      scaler.object.kind === 'HTTPScaledObject' ? 'spec.replicas.min' : scaler.object.kind === 'ScaledObject' ? 'spec.minReplicaCount' : 'spec.minReplicas';
    if (scaler.min < 1) {
      out.push(
        violation(INFO, scaler.object, `${field} is ${scaler.min}, so ${ref(workload)} can scale to zero, but ${why}: its state and sessions would be lost`, `set ${field}: 1`),
      );
    } else if (scaler.idleMin < 1) {
      out.push(
        violation(INFO, scaler.object, `spec.idleReplicaCount is 0, so ${ref(workload)} drops to zero when idle despite ${field}: ${scaler.min}, but ${why}`, 'remove spec.idleReplicaCount'),
      );
    }
  }
  return out;
}

export const statefulNeverScalesToZeroRule: ManifestRule = { ...INFO, check: statefulNeverScalesToZero };

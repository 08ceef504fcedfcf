import { containersOf, indexObjects, namespacesByName, ref, scalersOf, statefulReason, targetOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

/**
 * Images of the workloads the lesson says never to scale to zero (databases, brokers, stateful AI
 * runtimes), by the last path component of the repository (`bitnami/postgresql:17` → `postgresql`).
 */
export const DATASTORE_IMAGES = /^(postgres|postgresql|mysql|mariadb|redis|redis-stack-server|valkey|keydb|mongo|mongodb|mongodb-community-server|kafka|cp-kafka|cp-server|zookeeper|rabbitmq|elasticsearch|opensearch|etcd|cassandra|clickhouse-server|openclaw)$/;

/** The repository name of an image without registry, path, tag or digest. */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return (colon < 0 ? last : last.slice(0, colon)).toLowerCase();
}

const INFO: RuleInfo = {
  name: 'datastore-never-scales-to-zero',
  level: 'advisory',
  description:
    'A Deployment running a database, a message broker or a stateful AI runtime image (Postgres, Redis, MongoDB, Kafka, OpenClaw, …) under an autoscaler that can reach zero loses its connections, in-memory data and sessions on every scale-down, even though nothing marks it stateful.',
  pitfall: 'When NOT to Scale to Zero ("Databases (Postgres, Redis, MongoDB) … Kafka brokers … OpenClaw and similar AI Employee runtimes")',
};

/** Added rule: an autoscaler that can scale a datastore image to zero (workloads not already known stateful; rule 6 covers those). */
export function datastoreNeverScalesToZero(objects: readonly KubeObject[]): Violation[] {
  const index = indexObjects(objects);
  const namespaces = namespacesByName(objects);
  const out: Violation[] = [];
  for (const scaler of scalersOf(objects)) {
    if (scaler.idleMin > 0) continue;
    const workload = targetOf(scaler, index);
    if (!workload || statefulReason(workload, namespaces.get(scaler.namespace))) continue;
    const datastores = containersOf(workload).filter((c) => typeof c.image === 'string' && DATASTORE_IMAGES.test(imageName(c.image)));
    if (datastores.length === 0) continue;
    const images = datastores.map((c) => c.image).join(', ');
    out.push(
      violation(
        INFO,
        scaler.object,
        `can scale ${ref(workload)} to zero, and it runs ${images}: a database, broker or stateful runtime loses its connections and in-memory state at zero`,
        'keep one replica (min 1, no idleReplicaCount: 0), or run it as a StatefulSet / label it tenantscale.io/stateful: "true" if it is stateful',
      ),
    );
  }
  return out;
}

export const datastoreNeverScalesToZeroRule: ManifestRule = { ...INFO, check: datastoreNeverScalesToZero };

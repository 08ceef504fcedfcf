import { asArray, indexObjects, isHttpScaledObject, namespaceOf, objectKey, ref, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'http-scaled-service-port',
  level: 'mandatory',
  description:
    "The interceptor forwards held requests to the HTTPScaledObject's scaleTargetRef.service on scaleTargetRef.port (or portName). A Service that does not exist, or a port it does not expose (the container port instead of the Service port), makes every request fail with a 502 once the pod is up.",
  pitfall: 'Your first HTTPScaledObject: "--target-port=9898 maps the Service\'s port 8000 … The HTTPScaledObject references port 8000 on the Service"',
};

/** Added rule: an HTTPScaledObject's Service and port exist (when its namespace's Services are among the objects). */
export function httpScaledServicePort(objects: readonly KubeObject[]): Violation[] {
  const index = indexObjects(objects);
  const out: Violation[] = [];
  for (const hso of objects.filter(isHttpScaledObject)) {
    const target = specOf(hso).scaleTargetRef ?? {};
    const serviceName = target.service as string | undefined;
    if (!serviceName) continue;
    const namespace = namespaceOf(hso);
    const service = index.get(objectKey('Service', namespace, serviceName));
    if (!service) {
      const workload = target.name ? index.get(objectKey(target.kind ?? 'Deployment', namespace, target.name)) : undefined;
      if (workload) {
        out.push(
          violation(INFO, hso, `scaleTargetRef.service ${serviceName} does not exist next to ${ref(workload)}: the interceptor has nowhere to forward requests`, `create Service ${serviceName} in ${namespace} or fix scaleTargetRef.service`),
        );
      }
      continue;
    }
    const ports = asArray<Record<string, any>>(specOf(service).ports);
    const list = ports.map((p) => (p.name ? `${p.name}:${p.port}` : String(p.port))).join(', ');
    if (target.port !== undefined && !ports.some((p) => p.port === target.port)) {
      const viaTarget = ports.find((p) => p.targetPort === target.port);
      out.push(
        violation(
          INFO,
          hso,
          `scaleTargetRef.port ${target.port} is not a port of Service ${serviceName} (ports: ${list})${viaTarget ? `; it is the container's targetPort behind port ${viaTarget.port}` : ''}: forwarded requests are refused`,
          `set scaleTargetRef.port to ${viaTarget ? viaTarget.port : 'one of the Service ports'}`,
        ),
      );
    } else if (target.portName !== undefined && !ports.some((p) => p.name === target.portName)) {
      out.push(violation(INFO, hso, `scaleTargetRef.portName ${target.portName} is not a port name of Service ${serviceName} (ports: ${list}): forwarded requests are refused`, 'set scaleTargetRef.portName to a named Service port'));
    }
  }
  return out;
}

export const httpScaledServicePortRule: ManifestRule = { ...INFO, check: httpScaledServicePort };

import { HttpEntry, httpEntries } from '../http-entry';
import { asArray, indexObjects, objectKey, podTemplate, ref, selectorMatches, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'http-scaled-service-port',
  level: 'mandatory',
  description:
    "The interceptor forwards held requests to the Service an HTTPScaledObject names in scaleTargetRef.service/port (or portName), or an InterceptorRoute in target.service/port (or portName), at <service>.<namespace>:<port>, and waits for that Service's ready endpoints before it does. A Service that does not exist, a port it does not expose (the container port instead of the Service port), or a Service whose selector misses the pods the autoscaler wakes makes every request fail once the pod is up, or wait for endpoints that never come.",
  pitfall: 'Your first HTTPScaledObject: "--target-port=9898 maps the Service\'s port 8000 … The HTTPScaledObject references port 8000 on the Service"',
};

/**
 * The target's problems: Service missing, port or portName not on it, or its selector missing the
 * scaled pods. The interceptor dials `<service>.<namespace>:<port>` with `port` as given, or looks
 * `portName` up among the Service's ports (kedacore/http-add-on@v0.15.0
 * interceptor/middleware/routing.go:96-132), and waits for ready endpoints of that Service
 * (interceptor/middleware/endpoint_resolver.go:66-67).
 */
function entryViolations(entry: HttpEntry, index: Map<string, KubeObject>): Violation[] {
  const owner = entry.owner;
  const field = entry.targetField;
  const serviceField = field === 'target' ? 'target.service' : 'scaleTargetRef.service';
  if (!entry.service) return [];
  const workload = entry.workload ? index.get(objectKey(entry.workload.kind, entry.namespace, entry.workload.name)) : undefined;
  const service = index.get(objectKey('Service', entry.namespace, entry.service));
  if (!service) {
    if (!workload) return [];
    return [violation(INFO, owner, `${serviceField} ${entry.service} does not exist next to ${ref(workload)}: the interceptor has nowhere to forward requests`, `create Service ${entry.service} in ${entry.namespace} or fix ${serviceField}`)];
  }
  const out: Violation[] = [];
  const ports = asArray<Record<string, any>>(specOf(service).ports);
  const list = ports.map((p) => (p.name ? `${p.name}:${p.port}` : String(p.port))).join(', ');
  if (entry.port !== undefined && !ports.some((p) => p.port === entry.port)) {
    const viaTarget = ports.find((p) => p.targetPort === entry.port);
    out.push(
      violation(
        INFO,
        owner,
        `${field}.port ${entry.port} is not a port of Service ${entry.service} (ports: ${list})${viaTarget ? `; it is the container's targetPort behind port ${viaTarget.port}` : ''}: forwarded requests are refused`,
        `set ${field}.port to ${viaTarget ? viaTarget.port : 'one of the Service ports'}`,
      ),
    );
  } else if (entry.port === undefined && entry.portName !== undefined && !ports.some((p) => p.name === entry.portName)) {
    out.push(violation(INFO, owner, `${field}.portName ${entry.portName} is not a port name of Service ${entry.service} (ports: ${list}): the interceptor answers 500 "port name not found in Service"`, `set ${field}.portName to a named Service port`));
  }
  const selector = specOf(service).selector;
  const labels = workload ? podTemplate(workload)?.labels : undefined;
  if (labels && selector && typeof selector === 'object' && Object.keys(selector).length > 0 && !selectorMatches({ matchLabels: selector }, labels)) {
    const waker = entry.scaler && entry.scaler !== owner ? ref(entry.scaler) : ref(owner);
    out.push(
      violation(
        INFO,
        owner,
        `Service ${entry.service} selects ${JSON.stringify(selector)}, which does not match the pods of ${ref(workload!)} that ${waker} wakes: the interceptor waits for endpoints of ${entry.service} that never become ready`,
        `point ${serviceField} at the Service in front of ${ref(workload!)}, or make Service ${entry.service}'s selector match its pod labels`,
      ),
    );
  }
  return out;
}

/** Added rule: the Service and port an HTTPScaledObject or InterceptorRoute forwards to exist and front the scaled pods. */
export function httpScaledServicePort(objects: readonly KubeObject[]): Violation[] {
  const index = indexObjects(objects);
  return httpEntries(objects).flatMap((entry) => entryViolations(entry, index));
}

export const httpScaledServicePortRule: ManifestRule = { ...INFO, check: httpScaledServicePort };

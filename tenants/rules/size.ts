/** The size of what a tenant writes into one object: env, labels, command and args are copied into its Deployment. */
import type { Problem } from '../problem';

/**
 * Largest object tenantscale writes: 256 KiB. `kubectl apply -k dist` (client-side apply) stores
 * the whole object in the `kubectl.kubernetes.io/last-applied-configuration` annotation, and the
 * annotations of an object may total 256 KiB (kubernetes/apimachinery@v0.28.15
 * pkg/api/validation/objectmeta.go:36 TotalAnnotationSizeLimitB). Server-side apply (Pulumi, Flux)
 * stops at etcd's 1.5 MiB request limit (etcd-io/etcd server/embed/config.go DefaultMaxRequestBytes).
 */
export const MAX_OBJECT_BYTES = 256 * 1024;

/** Bytes of a Deployment without env and labels (metadata, probes, resources, security context), rounded up. */
export const DEPLOYMENT_BASE_BYTES = 4 * 1024;

/**
 * Estimated bytes of the tenant's Deployment: the base, the env entries (name, value, JSON
 * framing), the labels twice (object and pod template) and the command and args entries. Pure.
 */
export function deploymentBytes(env: Record<string, unknown> | undefined, labels: Record<string, unknown> | undefined, argv: readonly unknown[] = []): number {
  let bytes = DEPLOYMENT_BASE_BYTES;
  for (const a of argv) bytes += (typeof a === 'string' ? a.length : 8) + 4;
  for (const [k, v] of Object.entries(env ?? {})) bytes += k.length + (typeof v === 'string' ? v.length : JSON.stringify(v ?? '').length) + 32;
  for (const [k, v] of Object.entries(labels ?? {})) bytes += 2 * (k.length + String(v).length + 6);
  return bytes;
}

/** The problem of a tenant whose Deployment would be larger than the API path accepts, or undefined. Pure. */
export function objectSizeProblem(tenant: string, env: Record<string, unknown> | undefined, labels: Record<string, unknown> | undefined, argv: readonly unknown[] = []): Problem | undefined {
  const bytes = deploymentBytes(env, labels, argv);
  if (bytes <= MAX_OBJECT_BYTES) return undefined;
  const kib = (n: number) => `${Math.ceil(n / 1024).toLocaleString('en-US')} KiB`;
  return {
    tenant,
    field: 'env',
    value: `${Object.keys(env ?? {}).length} variables, about ${kib(bytes)}`,
    message: `the tenant's Deployment would be about ${kib(bytes)}; objects over 256 KiB fail \`kubectl apply\` (the last-applied annotation limit) and over 1.5 MiB fail in etcd`,
    allowed: `env, labels, command and args that keep the Deployment under ${kib(MAX_OBJECT_BYTES)}`,
    fix: 'move large values into a ConfigMap or Secret in the tenant namespace and reference them ({secret, key}), or mount them as files',
  };
}

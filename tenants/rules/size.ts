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

/** Characters that are one byte in JSON as written: printable ASCII but `"`, `\\`, `<`, `>`, `&`. */
const PLAIN_JSON = /^[\x20-\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/;

/**
 * Bytes of `text` inside a JSON string as the API path writes it: UTF-8 (a `€` is 3 bytes, not
 * one character), escapes for quotes, backslashes and control characters, and the HTML escapes
 * of Go's json.NewEncoder (escapeHTML on by default): `<`, `>`, `&` become `\u003c`, `\u003e`,
 * `\u0026` and U+2028/U+2029 `\u2028`/`\u2029`, 6 bytes each. Unstructured objects (kubectl's)
 * are encoded that way (kubernetes/apimachinery@v0.28.15 pkg/apis/meta/v1/unstructured/helpers.go:355-358
 * through pkg/util/json/json.go:29-30), and the annotation limit counts bytes
 * (pkg/api/validation/objectmeta.go:58-62, `len(k) + len(v)`). Pure.
 */
export function jsonStringBytes(text: string): number {
  if (PLAIN_JSON.test(text)) return text.length;
  let html = 0;
  for (const c of text) {
    if (c === '<' || c === '>' || c === '&') html += 5;
    else if (c === '\u2028' || c === '\u2029') html += 3;
  }
  return Buffer.byteLength(JSON.stringify(text), 'utf8') - 2 + html;
}

/**
 * Estimated bytes of the tenant's Deployment: the base, the env entries (name, value, JSON
 * framing), the labels twice (object and pod template) and the command and args entries, each
 * string counted in encoded bytes (`jsonStringBytes`). Pure.
 */
export function deploymentBytes(env: Record<string, unknown> | undefined, labels: Record<string, unknown> | undefined, argv: readonly unknown[] = []): number {
  let bytes = DEPLOYMENT_BASE_BYTES;
  for (const a of argv) bytes += (typeof a === 'string' ? jsonStringBytes(a) : 8) + 4;
  for (const [k, v] of Object.entries(env ?? {})) bytes += jsonStringBytes(k) + (typeof v === 'string' ? jsonStringBytes(v) : JSON.stringify(v ?? '').length) + 32;
  for (const [k, v] of Object.entries(labels ?? {})) bytes += 2 * (k.length + String(v).length + 6);
  return bytes;
}

/** The command and args of the app container, as written (entries of any type). */
export interface Argv {
  readonly command?: readonly unknown[];
  readonly args?: readonly unknown[];
}

/**
 * The problem of a tenant whose Deployment would be larger than the API path accepts, or
 * undefined. It names the field holding most of the bytes (env, labels, command or args). Pure.
 */
export function objectSizeProblem(tenant: string, env: Record<string, unknown> | undefined, labels: Record<string, unknown> | undefined, argv: Argv = {}): Problem | undefined {
  const command = argv.command ?? [];
  const args = argv.args ?? [];
  const bytes = deploymentBytes(env, labels, [...command, ...args]);
  if (bytes <= MAX_OBJECT_BYTES) return undefined;
  const kib = (n: number) => `${Math.ceil(n / 1024).toLocaleString('en-US')} KiB`;
  const parts: [string, number, string][] = [
    ['env', deploymentBytes(env, undefined), `${Object.keys(env ?? {}).length} variables`],
    ['labels', deploymentBytes(undefined, labels), `${Object.keys(labels ?? {}).length} labels`],
    ['command', deploymentBytes(undefined, undefined, command), `${command.length} entries`],
    ['args', deploymentBytes(undefined, undefined, args), `${args.length} entries`],
  ];
  const [field, , what] = parts.reduce((most, part) => (part[1] > most[1] ? part : most));
  return {
    tenant,
    field,
    value: `${what}, about ${kib(bytes)}`,
    message: `the tenant's Deployment would be about ${kib(bytes)}; objects over 256 KiB fail \`kubectl apply\` (the last-applied annotation limit) and over 1.5 MiB fail in etcd`,
    allowed: `env, labels, command and args that keep the Deployment under ${kib(MAX_OBJECT_BYTES)}`,
    fix: 'move large values into a ConfigMap or Secret in the tenant namespace and reference them ({secret, key}), or mount them as files',
  };
}

/**
 * A stack file's `tenantscale:*` values read offline (no Pulumi CLI, no credentials), as synth
 * (cli/synth-stack.ts) and the deploy scope (infra/deploy-scope.ts) read them; encrypted values
 * stay unread.
 */
import { isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ENCRYPTED_VALUE, PROJECT } from './config';

/** `dev` → ./Pulumi.dev.yaml; a path ending in .yaml is used as is. */
export function stackFilePath(stack: string, cwd = process.cwd()): string {
  if (/\.ya?ml$/.test(stack)) return isAbsolute(stack) ? stack : resolve(cwd, stack);
  return resolve(cwd, `Pulumi.${stack}.yaml`);
}

/** The stack's `tenantscale:*` values as the Pulumi runtime would pass them (namespace removed). */
export function stackConfigValues(text: string, file: string): Record<string, unknown> {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`${file}: not valid YAML (${doc.errors[0].message})`);
  const data = doc.toJS({ maxAliasCount: 0 }) as { config?: Record<string, unknown> } | null;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data?.config ?? {})) {
    // Encrypted values (`secure:`) stay encrypted and unread: synth never needs a secret.
    if (key.startsWith(`${PROJECT}:`) && key !== `${PROJECT}:tenantSecrets` && key !== `${PROJECT}:dnsToken`) raw[key.slice(PROJECT.length + 1)] = unreadSecure(value);
  }
  return raw;
}

/** `value` with every encrypted leaf (`{secure: …}`, as `pulumi config set --secret --path` writes it) replaced by ENCRYPTED_VALUE. */
function unreadSecure(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(unreadSecure);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'secure' && typeof (value as { secure: unknown }).secure === 'string') return ENCRYPTED_VALUE;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unreadSecure(v)]));
}

/**
 * A stack file, `Pulumi.<name>.yaml`, read offline (no Pulumi CLI, no credentials) and validated by
 * infra/config.ts `parseStackConfig`, the same function `pulumi up` uses: the stack a simulation
 * runs on (loadStack), and the values synth and the deploy scope read (stackConfigValues).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { decodeConfigValue, ENCRYPTED_VALUE, parseStackConfig, PROJECT, StackConfig } from './config';

/** `dev` → `<cwd>/Pulumi.dev.yaml`; a path ending in .yaml is used as it is. */
export function stackFile(name: string, cwd: string): string {
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return isAbsolute(name) ? name : join(cwd, name);
  return join(cwd, `Pulumi.${name}.yaml`);
}

/** The `tenantscale:*` keys of a stack file's `config:` block, namespace removed. */
export function stackValues(text: string): Record<string, unknown> {
  const doc = parse(text, { maxAliasCount: 100 }) as { config?: Record<string, unknown> } | null;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc?.config ?? {})) {
    if (!key.startsWith(`${PROJECT}:`)) continue;
    // `pulumi config set` stores scalars as strings; objects and lists arrive as YAML already.
    raw[key.slice(PROJECT.length + 1)] = typeof value === 'string' ? decodeConfigValue(value) : value;
  }
  // A secure value ({secure: …}) is not needed to simulate.
  delete raw.tenantSecrets;
  return raw;
}

/**
 * Reads and validates a stack. The DigitalOcean token is not needed to simulate, so its check is
 * passed. Throws infra/config.ts `StackConfigError` naming every bad key.
 */
export function loadStack(name: string, cwd: string): StackConfig {
  const file = stackFile(name, cwd);
  if (!existsSync(file)) throw new Error(`stack file ${file} does not exist (allowed: --stack NAME for Pulumi.NAME.yaml in ${cwd}, or a path to a .yaml file; fix: pass --stack dev or create the stack with pulumi stack init)`);
  return parseStackConfig(stackValues(readFileSync(file, 'utf8')), true);
}

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

/**
 * The stack a simulation runs on: `Pulumi.<name>.yaml` read as YAML and validated by
 * infra/config.ts `parseStackConfig`, the same function `pulumi up` uses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { decodeConfigValue, parseStackConfig, PROJECT, StackConfig } from './config';

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

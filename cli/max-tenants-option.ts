/**
 * `--max-tenants <n>` of synth and plan: the tenant limit the reader's size limits scale with
 * (tenants/read.ts `readLimits`; the stack setting is `tenantscale:limits.maxTenants`).
 */
import { InvalidArgumentError } from 'commander';
import { DEFAULT_MAX_TENANTS } from '../tenants/read';

/** The option's help text. */
export const MAX_TENANTS_HELP = `most tenants the list may hold; the file, YAML content and alias limits scale with it (default: the stack's tenantscale:limits.maxTenants with synth --stack, else ${DEFAULT_MAX_TENANTS.toLocaleString('en-US')})`;

/** Parses `--max-tenants`: a whole number of tenants, at least 1 (`100_000` allowed). */
export function parseMaxTenants(value: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!/^[0-9_]+$/.test(value) || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of tenants, at least 1 (e.g. 100000)');
  return n;
}

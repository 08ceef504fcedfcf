/**
 * What synth says about the tenants' `imagePullSecret`s. The pull Secrets themselves are created
 * by the Pulumi program from the stack's `tenantscale:registryCredentials` (their values never
 * reach dist/), so offline synth can check a name against a stack file at most, never the
 * credentials: it says what it could not check.
 */
import { boundedList } from '../tenants/problem';
import type { TenantSpec } from '../tenants/schema';
import type { StackConfig } from '../infra/config';

/** Tenants named per pull Secret in the summary line. */
export const PULL_SECRET_TENANTS_SHOWN = 3;

/** Every pull Secret name and every tenant that uses it, in file order (for `synth --format json`). */
export function pullSecretUsers(tenants: readonly TenantSpec[]): Record<string, string[]> {
  const users: Record<string, string[]> = {};
  for (const t of tenants) if (t.imagePullSecret !== undefined) (users[t.imagePullSecret] ??= []).push(t.name);
  return users;
}

/** Lines for the synth summary; empty when no tenant names an imagePullSecret. Pure but for loading infra/config with a stack. */
export function pullSecretNotes(tenants: readonly TenantSpec[], stack?: { readonly stack: string; readonly config: StackConfig }): string[] {
  const uses = tenants.flatMap((t) => (t.imagePullSecret !== undefined ? [{ tenant: t.name, secret: t.imagePullSecret, image: t.image }] : []));
  if (uses.length === 0) return [];
  const names = [...new Set(uses.map((u) => u.secret))].sort();
  // A few tenant names per Secret and the count: the line stays one line at 10,000 tenants
  // (`synth --format json` lists them all: pullSecretUsers).
  const who = (secret: string) => boundedList(uses.filter((u) => u.secret === secret).map((u) => u.tenant), PULL_SECRET_TENANTS_SHOWN);
  if (!stack) {
    return [
      `  image pull Secrets (not checked offline): ${boundedList(names.map((n) => `${n} (${who(n)})`))}. ` +
        'dist/ holds only the references; `pulumi up` creates the Secrets from tenantscale:registryCredentials and refuses a name the stack does not define ' +
        '(`synth --stack <name>` checks the names against a stack file).',
    ];
  }
  const { checkPullSecrets } = require('../infra/pull-secrets') as typeof import('../infra/pull-secrets');
  const check = checkPullSecrets(stack.config, uses);
  return [
    `  image pull Secrets, checked against stack ${stack.stack} (names only; the credentials are checked by pulumi up): ${boundedList(names)}`,
    ...check.problems.map((p) => `  ! ${p.message}; pulumi up will refuse it (fix: ${p.fix})`),
    // One line per Secret, not per tenant: a few tenant names and the count.
    ...grouped(check.missing, (m) => m.secret).map(([secret, ms]) => `  ! the stack does not create pull Secret "${secret}" for tenant${ms.length === 1 ? '' : 's'} ${boundedList(ms.map((m) => m.tenant), PULL_SECRET_TENANTS_SHOWN)}; create it in each tenant-<name> namespace outside Pulumi`),
    ...grouped(check.otherRegistry, (o) => `${o.secret}\n${o.registry}`).map(([, os]) => `  ! ${os.length === 1 ? `tenant "${os[0].tenant}": ${os[0].image} is` : `${boundedList(os.map((o) => o.tenant), PULL_SECRET_TENANTS_SHOWN)}: their images are`} not in registry.digitalocean.com/${os[0].registry}/, the registry "${os[0].secret}" opens`),
  ];
}

/** Items grouped by key, in first-seen order. */
function grouped<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) (groups.get(key(item)) ?? groups.set(key(item), []).get(key(item))!).push(item);
  return [...groups];
}

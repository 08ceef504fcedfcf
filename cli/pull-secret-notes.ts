/**
 * What synth says about the tenants' `imagePullSecret`s. The pull Secrets themselves are created
 * by the Pulumi program from the stack's `tenantscale:registryCredentials` (their values never
 * reach dist/), so offline synth can check a name against a stack file at most, never the
 * credentials: it says what it could not check.
 */
import type { TenantSpec } from '../tenants/schema';
import type { StackConfig } from '../infra/config';

/** Lines for the synth summary; empty when no tenant names an imagePullSecret. Pure but for loading infra/config with a stack. */
export function pullSecretNotes(tenants: readonly TenantSpec[], stack?: { readonly stack: string; readonly config: StackConfig }): string[] {
  const uses = tenants.flatMap((t) => (t.imagePullSecret !== undefined ? [{ tenant: t.name, secret: t.imagePullSecret, image: t.image }] : []));
  if (uses.length === 0) return [];
  const names = [...new Set(uses.map((u) => u.secret))].sort();
  const who = (secret: string) => uses.filter((u) => u.secret === secret).map((u) => u.tenant).join(', ');
  if (!stack) {
    return [
      `  image pull Secrets (not checked offline): ${names.map((n) => `${n} (${who(n)})`).join('; ')}. ` +
        'dist/ holds only the references; `pulumi up` creates the Secrets from tenantscale:registryCredentials and refuses a name the stack does not define ' +
        '(`synth --stack <name>` checks the names against a stack file).',
    ];
  }
  const { checkPullSecrets } = require('../infra/config') as typeof import('../infra/config');
  const check = checkPullSecrets(stack.config, uses);
  return [
    `  image pull Secrets, checked against stack ${stack.stack} (names only; the credentials are checked by pulumi up): ${names.join(', ')}`,
    ...check.problems.map((p) => `  ! ${p.message}; pulumi up will refuse it (fix: ${p.fix})`),
    ...check.missing.map((m) => `  ! tenant "${m.tenant}": the stack does not create pull Secret "${m.secret}"; create it in tenant-${m.tenant} outside Pulumi`),
    ...check.otherRegistry.map((o) => `  ! tenant "${o.tenant}": ${o.image} is not in registry.digitalocean.com/${o.registry}/, the registry "${o.secret}" opens`),
  ];
}

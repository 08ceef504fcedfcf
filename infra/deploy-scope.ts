/**
 * What the deploy workflow does for a push (`node build/infra/deploy-scope.js`): in flux mode,
 * `pulumi up` runs only when something other than the stack's tenant list (and documentation)
 * changed, and the tenant artifact is published every time; in pulumi mode every push runs
 * `pulumi up` (the tenants are Pulumi resources). Prints GitHub step outputs:
 *
 *   delivery=flux|pulumi   pulumi-up=true|false   source=oci|git   url=…   ref=…   reason=…
 *
 * Environment: PULUMI_STACK (the stack), BEFORE (github.event.before), EVENT (github.event_name).
 * The changed files come from `git diff --name-only BEFORE HEAD`, so the checkout needs history.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseStackConfig } from './config';
import { DEFAULT_FLUX_REFS } from './flux-artifact';
import { stackConfigValues, stackFilePath } from './stack-values';

/** The decision for one push. */
export interface DeployScope {
  readonly delivery: 'pulumi' | 'flux';
  readonly pulumiUp: boolean;
  readonly reason: string;
  readonly source?: 'oci' | 'git';
  readonly url?: string;
  readonly ref?: string;
}

/** Files whose change never needs `pulumi up` in flux mode: the tenant list and documentation. */
export function tenantOnly(file: string, tenantsFile: string): boolean {
  return file === tenantsFile || file.startsWith('docs/') || /^[^/]+\.md$/.test(file);
}

/**
 * Pure decision. `changed` is undefined when the changed files are unknown (first push of a
 * branch, a manual run, a force-push whose base is gone): then `pulumi up` runs.
 */
export function deployScope(
  config: { tenantDelivery: 'pulumi' | 'flux'; tenantsFile: string; flux: { source: 'oci' | 'git'; url?: string; ref?: string } },
  changed: readonly string[] | undefined,
): DeployScope {
  if (config.tenantDelivery === 'pulumi') return { delivery: 'pulumi', pulumiUp: true, reason: 'pulumi mode: the tenants are Pulumi resources' };
  const flux = { source: config.flux.source, url: config.flux.url, ref: config.flux.ref ?? DEFAULT_FLUX_REFS[config.flux.source] };
  if (changed === undefined) return { delivery: 'flux', pulumiUp: true, reason: 'the changed files are unknown (manual run or new history)', ...flux };
  const platform = changed.filter((f) => !tenantOnly(f, config.tenantsFile));
  return platform.length === 0
    ? { delivery: 'flux', pulumiUp: false, reason: `only the tenant list or docs changed (${changed.length} file${changed.length === 1 ? '' : 's'})`, ...flux }
    : { delivery: 'flux', pulumiUp: true, reason: `the platform changed: ${platform.slice(0, 5).join(', ')}${platform.length > 5 ? ', …' : ''}`, ...flux };
}

/** `git diff --name-only before HEAD`, or undefined when `before` is absent or unknown to this clone. */
export function changedFiles(before: string | undefined, cwd = process.cwd()): string[] | undefined {
  if (!before || /^0+$/.test(before) || !/^[0-9a-f]{40}$/.test(before)) return undefined;
  try {
    return execFileSync('git', ['diff', '--name-only', before, 'HEAD'], { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
      .split('\n')
      .filter((l) => l.length > 0);
  } catch {
    return undefined;
  }
}

function main(): void {
  const stack = process.env.PULUMI_STACK || 'dev';
  const file = stackFilePath(stack);
  const config = parseStackConfig(stackConfigValues(readFileSync(file, 'utf8'), file), true);
  const tenantsFile = relative(process.cwd(), resolve(process.cwd(), config.tenantsFile)).split('\\').join('/');
  const scope = deployScope({ ...config, tenantsFile }, process.env.EVENT === 'push' ? changedFiles(process.env.BEFORE) : undefined);
  const lines = [
    `delivery=${scope.delivery}`,
    `pulumi-up=${scope.pulumiUp}`,
    `reason=${scope.reason}`,
    ...(scope.source ? [`source=${scope.source}`, `url=${scope.url ?? ''}`, `ref=${scope.ref}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${lines.join('\n')}\n`);
}

if (require.main === module) main();

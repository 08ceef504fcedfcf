/**
 * One tenant list, several clusters. Every `Pulumi.<stack>.yaml` of the project may select the
 * tenants it serves (`tenantscale:tenantSelector`, a label selector over tenant labels). Within
 * one environment (`tenantscale:environment`; unset: the environment `default`), across its
 * stacks: every tenant of a tenant list some stack reads is served by exactly one stack, and no
 * host is served twice. Stacks of different environments (dev, staging, prod: the promotion
 * path, docs/environments.md) are separate platforms and may serve the same tenants. Checked by the Pulumi program before anything
 * is registered and by `tenantscale synth --stack`, offline (stack files hold no secrets in plain
 * text; encrypted values are never read here).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { TenantSpec } from '../tenants/schema';
import { describeSelector, selects, TenantSelector, tenantSelectorSchema } from './tenant-selector';

/** Stack files a repository may hold before the check refuses to read them all. */
export const MAX_STACK_FILES = 200;
/** Largest stack file read (bytes). */
export const MAX_STACK_FILE_BYTES = 1024 * 1024;

const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/;

/** What the selection check needs of one stack. */
export interface StackSelection {
  /** Stack name (`dev` for Pulumi.dev.yaml). */
  readonly stack: string;
  /** The tenant list it reads, resolved against the project directory. */
  readonly tenantsFile: string;
  /** Its selector; undefined serves every tenant. */
  readonly selector?: TenantSelector;
  /**
   * The environment the stack belongs to (`tenantscale:environment`); the partition rule holds among the stacks of one environment.
   * @default DEFAULT_ENVIRONMENT
   */
  readonly environment?: string;
}

/** The environment of a stack that sets no `tenantscale:environment`. */
export const DEFAULT_ENVIRONMENT = 'default';

/** One refused combination, naming the tenant, the stacks and the fix. */
export interface SelectionProblem {
  readonly tenant: string;
  readonly stacks: readonly string[];
  readonly message: string;
  readonly fix: string;
}

/** Thrown with every problem; nothing is deployed or written (`outcome` says which, as StackConfigError's). */
export class StackSelectionError extends Error {
  constructor(
    readonly problems: readonly SelectionProblem[],
    readonly outcome = 'nothing was deployed',
  ) {
    super(
      `tenant selection across stacks has ${problems.length} problem${problems.length === 1 ? '' : 's'}; ${outcome}:\n` +
        problems.map((p) => `  - tenant "${p.tenant}" (stacks: ${p.stacks.join(', ') || 'none'}): ${p.message} (fix: ${p.fix})`).join('\n'),
    );
    this.name = 'StackSelectionError';
  }
}

/** A stack file's `tenantscale:*` values that matter here, validated. Throws naming the file and key. */
export function parseStackSelection(stack: string, text: string, projectDir: string): StackSelection {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`Pulumi.${stack}.yaml: not valid YAML (${doc.errors[0].message}); fix the file`);
  let data: { config?: Record<string, unknown> } | null;
  try {
    // Stack files need no aliases; refusing them bounds the expansion (no alias bombs).
    data = doc.toJS({ maxAliasCount: 0 }) as typeof data;
  } catch (err) {
    throw new Error(`Pulumi.${stack}.yaml: ${(err as Error).message}; allowed: plain YAML without aliases; fix: write the values out`);
  }
  const config = data?.config ?? {};
  const tenantsFile = config['tenantscale:tenantsFile'] ?? 'tenants/tenants.yaml';
  if (typeof tenantsFile !== 'string' || tenantsFile.length === 0) {
    throw new Error(`Pulumi.${stack}.yaml: tenantscale:tenantsFile = ${JSON.stringify(tenantsFile)} is not a path; allowed: a path relative to the project; fix: e.g. tenants/tenants.yaml`);
  }
  const rawSelector = config['tenantscale:tenantSelector'];
  let selector: TenantSelector | undefined;
  if (rawSelector !== undefined) {
    const parsed = tenantSelectorSchema.safeParse(rawSelector);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `Pulumi.${stack}.yaml: tenantscale:tenantSelector${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}; ` +
          'allowed: { matchLabels: {key: value}, matchExpressions: [{key, operator: In|NotIn|Exists|DoesNotExist, values}] }; fix: correct the selector',
      );
    }
    selector = parsed.data;
  }
  const environment = config['tenantscale:environment'] ?? DEFAULT_ENVIRONMENT;
  if (typeof environment !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(environment) || environment.length > 63) {
    throw new Error(`Pulumi.${stack}.yaml: tenantscale:environment = ${JSON.stringify(environment)}; allowed: a DNS label such as dev, staging or prod; fix: pulumi config set tenantscale:environment prod`);
  }
  return { stack, tenantsFile: isAbsolute(tenantsFile) ? tenantsFile : resolve(projectDir, tenantsFile), selector, environment };
}

/** Every `Pulumi.<stack>.yaml` in the project directory (not Pulumi.yaml), sorted by stack name. */
export function readStackSelections(projectDir: string): StackSelection[] {
  const names = readdirSync(projectDir)
    .filter((f) => STACK_FILE.test(f))
    .sort();
  if (names.length > MAX_STACK_FILES) {
    throw new Error(`${projectDir}: ${names.length} stack files; allowed: at most ${MAX_STACK_FILES}; fix: remove stale Pulumi.<stack>.yaml files`);
  }
  return names.map((f) => {
    const path = join(projectDir, f);
    const size = statSync(path).size;
    if (size > MAX_STACK_FILE_BYTES) throw new Error(`${f}: ${size} bytes; allowed: at most ${MAX_STACK_FILE_BYTES}; fix: move large values out of the stack file`);
    return parseStackSelection(STACK_FILE.exec(f)![1], readFileSync(path, 'utf8'), projectDir);
  });
}

/**
 * The problems of a set of stacks over their tenant lists (`tenantsOf` loads a list; called once
 * per distinct file): a tenant served by no stack or by several, and a host served by two
 * tenants of different stacks or lists. Empty when the repository's stacks partition its tenants.
 */
export function selectionProblems(stacks: readonly StackSelection[], tenantsOf: (file: string) => readonly TenantSpec[]): SelectionProblem[] {
  const environments = new Map<string, StackSelection[]>();
  for (const s of stacks) {
    const env = s.environment ?? DEFAULT_ENVIRONMENT;
    environments.set(env, [...(environments.get(env) ?? []), s]);
  }
  return [...environments.values()].flatMap((group) => environmentProblems(group, tenantsOf));
}

/** `selectionProblems` of the stacks of one environment. */
function environmentProblems(stacks: readonly StackSelection[], tenantsOf: (file: string) => readonly TenantSpec[]): SelectionProblem[] {
  const problems: SelectionProblem[] = [];
  const byFile = new Map<string, StackSelection[]>();
  for (const s of stacks) byFile.set(s.tenantsFile, [...(byFile.get(s.tenantsFile) ?? []), s]);
  const servedBy = new Map<string, string[]>();
  const hosts = new Map<string, { tenant: string; stack: string }>();
  for (const [file, readers] of byFile) {
    for (const t of tenantsOf(file)) {
      const serving = readers.filter((s) => selects(s.selector, t.labels ?? {})).map((s) => s.stack);
      // A tenant is an entry of one list: the same name in two lists is two tenants (on two clusters).
      servedBy.set(`${file}\0${t.name}`, serving);
      if (serving.length === 0) {
        problems.push({
          tenant: t.name,
          stacks: [],
          message: `no stack serves it (labels ${JSON.stringify(t.labels ?? {})}; selectors: ${readers.map((s) => `${s.stack}: ${describeSelector(s.selector)}`).join('; ')})`,
          fix: 'give the tenant a label one stack selects, or widen a stack\'s tenantscale:tenantSelector',
        });
      }
      for (const host of serving.length > 0 ? t.hosts : []) {
        const other = hosts.get(host);
        if (other && other.tenant !== t.name) {
          problems.push({
            tenant: t.name,
            stacks: [other.stack, serving[0]],
            message: `host ${host} is also served by tenant "${other.tenant}" (stack ${other.stack}); the DNS name can point at one cluster only`,
            fix: 'give one of the tenants another host',
          });
        } else if (!other) hosts.set(host, { tenant: t.name, stack: serving[0] });
      }
    }
  }
  for (const [key, serving] of servedBy) {
    const tenant = key.slice(key.indexOf('\0') + 1);
    if (serving.length > 1) {
      problems.push({
        tenant,
        stacks: serving,
        message: `served by ${serving.length} stacks of environment "${stacks[0].environment ?? DEFAULT_ENVIRONMENT}"; each tenant must live on exactly one cluster of an environment`,
        fix: `narrow the selectors of ${serving.join(' and ')} (e.g. matchLabels region) so that exactly one selects it, or, for dev/staging/prod copies of the platform, give each stack its own tenantscale:environment (docs/environments.md)`,
      });
    }
  }
  return problems;
}

/** `selectionProblems` over the project's stack files; throws StackSelectionError when there are any. */
export function checkStackSelections(projectDir: string, tenantsOf: (file: string) => readonly TenantSpec[]): StackSelection[] {
  const stacks = readStackSelections(projectDir);
  const problems = selectionProblems(stacks, tenantsOf);
  if (problems.length > 0) throw new StackSelectionError(problems);
  return stacks;
}

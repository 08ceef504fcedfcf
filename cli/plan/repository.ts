/**
 * The plan of a Git repository: the tenants file at the base revision against the working tree.
 * Reads Git and the file; everything after that is the pure `computePlan`.
 */
import { join } from 'node:path';
import { Problem } from '../../tenants/problem';
import { readLimits, readTenantsFile } from '../../tenants/read';
import { validateTenantsText } from '../../tenants/validate';
import { chooseBase, GitError, pathInRepo, readAtCommit, repoRoot } from './git';
import { computePlan, Plan, PlanOptions } from './plan';
import { costDelta } from './cost';
import { existsSync } from 'node:fs';
import { stackFile } from '../../infra/stack-file';
import { PlanContext, PlanFailure } from './render';
import type { SynthStack } from '../synth-stack';
import { stackValidationOptions } from '../../infra/stack-tenants';
import { selects } from '../../infra/tenant-selector';

export interface RepositoryPlanInput extends PlanOptions {
  /** Directory the command runs in (a path inside the repository). */
  readonly cwd: string;
  /** The tenants file, relative to `cwd` or absolute. */
  readonly file: string;
  /**
   * Revision to compare against.
   * @default the merge base of HEAD and main (see `chooseBase`)
   */
  readonly base?: string;
  /**
   * Environment read for GITHUB_BASE_REF.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Stack whose Pulumi.<stack>.yaml (at the repository root) the cost delta simulates; `false`, or
   * no such file, leaves the cost out.
   * @default 'dev'
   */
  readonly costStack?: string | false;
  /**
   * Most tenants either side's list may hold (`--max-tenants`; tenants/read.ts `readLimits`).
   * @default DEFAULT_MAX_TENANTS (50,000)
   */
  readonly maxTenants?: number;
  /**
   * The stack whose platform the objects are built for (cli/synth-stack.ts readSynthStack, the
   * rules and settings `pulumi up` uses): its tenant domain, node pools, components and selector,
   * on both sides. The tenants file must be the stack's own.
   * @default undefined: the built-in platform (DEFAULT_PLATFORM_SETTINGS)
   */
  readonly platformStack?: SynthStack;
}

export type RepositoryPlan = { readonly ok: true; readonly plan: Plan; readonly context: PlanContext } | { readonly ok: false; readonly failure: PlanFailure };

/** Plans the change of the tenants file from the base revision to the working tree. */
export function planRepository(input: RepositoryPlanInput): RepositoryPlan {
  let root: string;
  let path: string;
  let baseText: string | undefined;
  let baseCommit: string | undefined;
  let baseDescription: string;
  try {
    root = repoRoot(input.cwd);
    path = pathInRepo(root, input.cwd, input.file);
    const base = chooseBase(root, input.base, input.env ?? process.env);
    baseCommit = base.commit;
    baseDescription = base.description;
    baseText = base.commit === undefined ? undefined : readAtCommit(root, base.commit, path);
  } catch (err) {
    if (err instanceof GitError) return { ok: false, failure: { file: input.file, problems: [], message: err.message } };
    throw err;
  }

  const side = `base ${baseCommit === undefined ? '' : `${baseCommit.slice(0, 12)} `}(${baseDescription})`;
  const stack = input.platformStack;
  // With a stack: its validation (tenant domain, largest pool) and its selector on both sides.
  const validate = (text: string) => {
    const result = validateTenantsText(text, { ...(stack ? stackValidationOptions(stack.config) : {}), maxTenants: input.maxTenants });
    return stack ? { ...result, tenants: result.tenants.filter((t) => selects(stack.config.tenantSelector, t.labels ?? {})) } : result;
  };
  const baseResult = baseText === undefined ? { tenants: [], problems: [] } : validate(baseText);
  if (baseResult.problems.length > 0) return { ok: false, failure: { side, file: path, problems: baseResult.problems } };

  const head = readTenantsFile(join(root, path), readLimits({ maxTenants: input.maxTenants }));
  if ('problem' in head) {
    const problem: Problem = head.problem.message === 'the tenants file does not exist' ? { ...head.problem, message: 'the tenants file does not exist in the working tree', fix: `restore ${path} or pass --tenants FILE` } : head.problem;
    return { ok: false, failure: { side: 'working tree', file: path, problems: [problem] } };
  }
  // With a stack, the new side is what it serves: readSynthStack already ran the rules of `pulumi up` on it.
  const headResult = stack ? { tenants: stack.tenants, problems: [] } : validate(head.text);
  if (headResult.problems.length > 0) return { ok: false, failure: { side: 'working tree', file: path, problems: headResult.problems } };

  const plan = computePlan(baseResult.tenants, headResult.tenants, stack ? { ...input, settings: stack.settings } : input);
  const context: PlanContext = {
    file: path,
    baseDescription,
    baseMissing: baseText === undefined,
    head: 'working tree',
    ...(baseCommit === undefined ? {} : { baseCommit }),
    // A repository without the stack file (a tenant list kept apart from the Pulumi project) gets no cost section.
    ...(input.costStack === false || !existsSync(stackFile(input.costStack ?? 'dev', root))
      ? {}
      : { cost: costDelta(baseResult.tenants, headResult.tenants, plan.tenants.map((t) => ({ name: t.name, status: t.status })), { root, stack: input.costStack ?? 'dev' }) }),
  };
  return { ok: true, plan, context };
}

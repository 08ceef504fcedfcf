/**
 * `tenantscale plan`: what merging this change to the tenant list does, offline. Compares the
 * tenants file at a base revision (default: the merge base with main) with the working tree.
 */
import { Command, Option } from 'commander';
import { createOutput, EXIT, Output } from '../output';
import { planExitCode, PolicyScope } from '../plan/plan';
import { policyRunner } from '../plan/policy';
import {
  EXIT_MEANINGS,
  renderFailureHuman,
  renderFailureJson,
  renderFailureMarkdown,
  renderHuman,
  renderJson,
  renderMarkdown,
} from '../plan/render';
import { planRepository, RepositoryPlanInput } from '../plan/repository';
import { MAX_TENANTS_HELP, parseMaxTenants } from '../max-tenants-option';

export const PLAN_FORMATS = ['human', 'markdown', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface PlanCommandOptions {
  /** @default the merge base of HEAD and main */
  readonly base?: string;
  /** @default 'tenants/tenants.yaml' */
  readonly tenants?: string;
  /** @default 'human' */
  readonly format?: PlanFormat;
  /** @default 'touched' */
  readonly policyScope?: PolicyScope;
  /** @default false */
  readonly quiet?: boolean;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Stack the cost delta simulates (Pulumi.<stack>.yaml); `false` (--no-cost) leaves it out. @default 'dev' */
  readonly stack?: string;
  /** @default true */
  readonly cost?: boolean;
  /** Most tenants the list may hold (tenants/read.ts `readLimits`). @default DEFAULT_MAX_TENANTS (50,000) */
  readonly maxTenants?: number;
}

/**
 * Runs the plan and prints it. Human output goes to stdout (problems to stderr); Markdown and JSON
 * go to stdout in full, failures included, so a pipeline can post or parse them. `--quiet` prints
 * nothing but errors. Returns the exit code.
 */
export function runPlan(options: PlanCommandOptions, out: Output = createOutput(options)): number {
  const format = options.format ?? 'human';
  const input: RepositoryPlanInput = {
    cwd: options.cwd ?? process.cwd(),
    file: options.tenants ?? 'tenants/tenants.yaml',
    env: options.env ?? process.env,
    ...(options.base === undefined ? {} : { base: options.base }),
    policy: policyRunner(),
    policyScope: options.policyScope ?? 'touched',
    costStack: options.cost === false ? false : (options.stack ?? 'dev'),
    ...(options.maxTenants === undefined ? {} : { maxTenants: options.maxTenants }),
  };
  const result = planRepository(input);
  if (!result.ok) {
    if (format === 'human') out.error(renderFailureHuman(result.failure, out.color).trimEnd());
    else {
      out.info((format === 'json' ? renderFailureJson(result.failure) : renderFailureMarkdown(result.failure)).trimEnd());
      out.error(`tenantscale plan: ${result.failure.message ?? `${result.failure.file} at ${result.failure.side} is invalid`} (exit 1)`);
    }
    return EXIT.FAILED;
  }
  const text =
    format === 'json'
      ? renderJson(result.plan, result.context)
      : format === 'markdown'
        ? renderMarkdown(result.plan, result.context)
        : renderHuman(result.plan, result.context, out.color);
  out.info(text.trimEnd());
  const code = planExitCode(result.plan);
  return code === 1 ? EXIT.FAILED : code === 2 ? EXIT.DESTRUCTIVE : EXIT.OK;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('preview what a change to the tenant list does: tenants added, removed and changed, a field-level diff, policy results and destructive-change warnings (offline)')
    .option('--base <rev>', 'revision to compare with (default: the merge base of HEAD and main, origin/main, master or origin/master; HEAD when none exists)')
    .option('-t, --tenants <file>', 'tenant list', 'tenants/tenants.yaml')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...PLAN_FORMATS]).default('human'))
    .addOption(
      new Option('--policy-scope <scope>', 'objects the policy rules see: those of added and changed tenants, or all tenants (slower; `tenantscale check` covers the whole output)')
        .choices(['touched', 'all'])
        .default('touched'),
    )
    .option('--stack <name>', 'stack whose Pulumi.<name>.yaml the cost and wake delta simulates (with tenants/profile.yaml when present)', 'dev')
    .option('--no-cost', 'leave out the cost and wake delta')
    .option('-q, --quiet', 'print nothing but errors (the exit code still tells)')
    .option('--max-tenants <n>', MAX_TENANTS_HELP, parseMaxTenants)
    .addHelpText(
      'after',
      `\nCompares the tenants file at --base with the working tree. Only tenants whose resolved spec changed are synthesized.\n\nExit codes:\n  0  ${EXIT_MEANINGS[0]}\n  1  ${EXIT_MEANINGS[1]}\n  2  ${EXIT_MEANINGS[2]}\n\nExamples:\n  tenantscale plan\n  tenantscale plan --base origin/main --format markdown > plan.md\n  tenantscale plan --format json | jq '.warnings'`,
    )
    .action((opts: PlanCommandOptions) => {
      process.exitCode = runPlan(opts);
    });
}

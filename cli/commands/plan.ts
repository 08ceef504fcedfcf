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
import { resolve } from 'node:path';
import { TenantListError } from '../../tenants/problem';
import type { SynthStack } from '../synth-stack';
import { DEFAULT_TENANTS_FILE, driftReport, platformDrift, tenantsStackConflict } from '../platform-drift';

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
  /**
   * The stack (Pulumi.<stack>.yaml) whose platform the objects are built for, with the rules and
   * settings of `pulumi up` (cli/synth-stack.ts), and whose cost the delta simulates.
   * @default none: the built-in platform (a warning says how it differs from the stacks here), cost from 'dev'
   */
  readonly stack?: string;
  /**
   * Without `stack`: plan for the built-in platform even when a stack here serves the list with another tenant domain.
   * @default false
   */
  readonly builtinPlatform?: boolean;
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
  const cwd = options.cwd ?? process.cwd();
  const fail = (message: string): number => {
    out.error(`✗ tenantscale plan: ${message}`);
    return EXIT.FAILED;
  };
  let platformStack: SynthStack | undefined;
  let warnings: string[] = [];
  if (options.stack !== undefined) {
    try {
      platformStack = (require('../synth-stack') as typeof import('../synth-stack')).readSynthStack(options.stack, cwd, { maxTenants: options.maxTenants });
    } catch (err) {
      if (err instanceof TenantListError) return fail(`${err.message.split('\n').slice(0, 12).join('\n')}`);
      if (err instanceof Error) return fail(`--stack ${options.stack}: ${err.message}`);
      throw err;
    }
    const conflict = tenantsStackConflict(options.tenants === undefined ? undefined : resolve(cwd, options.tenants), platformStack);
    if (conflict) return fail(conflict.replace('nothing was written', 'nothing was planned'));
  } else {
    const drift = driftReport(platformDrift(resolve(cwd, options.tenants ?? DEFAULT_TENANTS_FILE), [], cwd), 'plan', options.builtinPlatform ?? false);
    if (drift.refused) {
      for (const line of drift.lines) out.error(line.replace('nothing was written', 'nothing was planned'));
      return EXIT.FAILED;
    }
    warnings = drift.lines;
  }
  const input: RepositoryPlanInput = {
    cwd,
    file: platformStack ? platformStack.tenantsFile : (options.tenants ?? DEFAULT_TENANTS_FILE),
    platformStack,
    env: options.env ?? process.env,
    ...(options.base === undefined ? {} : { base: options.base }),
    policy: policyRunner(platformStack?.settings),
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
  // Which platform the objects are for, said when a stack is involved (one named, or one here that differs).
  const context = platformStack || warnings.length > 0 ? { ...result.context, platform: { stack: platformStack?.stack, warnings } } : result.context;
  const text =
    format === 'json'
      ? renderJson(result.plan, context)
      : format === 'markdown'
        ? renderMarkdown(result.plan, context)
        : renderHuman(result.plan, context, out.color);
  out.info(text.trimEnd());
  const code = planExitCode(result.plan);
  return code === 1 ? EXIT.FAILED : code === 2 ? EXIT.DESTRUCTIVE : EXIT.OK;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('preview what a change to the tenant list does: tenants added, removed and changed, a field-level diff, policy results and destructive-change warnings (offline)')
    .option('--base <rev>', 'revision to compare with (default: the merge base of HEAD and main, origin/main, master or origin/master; HEAD when none exists)')
    .option('-t, --tenants <file>', `tenant list (default: ${DEFAULT_TENANTS_FILE}; with --stack, the stack's tenantscale:tenantsFile)`)
    .addOption(new Option('-f, --format <format>', 'output format').choices([...PLAN_FORMATS]).default('human'))
    .addOption(
      new Option('--policy-scope <scope>', 'objects the policy rules see: those of added and changed tenants, or all tenants (slower; `tenantscale check` covers the whole output)')
        .choices(['touched', 'all'])
        .default('touched'),
    )
    .option('--stack <name>', "build the objects for this stack's platform (Pulumi.<name>.yaml: its tenant domain, node pools, components and selector, the rules of pulumi up) and simulate its cost (default: the built-in platform, cost from Pulumi.dev.yaml)")
    .option('--builtin-platform', 'without --stack: plan for the built-in platform even when a stack here serves the list with another tenant domain')
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

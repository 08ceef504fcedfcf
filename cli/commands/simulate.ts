/**
 * `tenantscale simulate`: what the tenant list costs per month and how long its wakes take, from a
 * deterministic simulation of KEDA, the HPA and the cluster autoscaler over a traffic profile.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { StackConfigError } from '../../infra/config';
import { TenantListError } from '../../tenants/problem';
import { loadTenants } from '../../tenants/validate';
import { BUILTIN_NAMES, builtinProfile, loadProfile, Profile, ProfileError, withActiveFraction } from '../../simulate/profile';
import { renderHuman, renderJson, renderMarkdown } from '../../simulate/render';
import { simulate, SimulationReport } from '../../simulate/simulation';
import { loadStack } from '../../infra/stack-file';
import { createOutput, EXIT, Output } from '../output';

export const SIMULATE_FORMATS = ['human', 'markdown', 'json'] as const;

export interface SimulateCommandOptions {
  /** @default 'tenants/tenants.yaml' */
  readonly tenants?: string;
  /** @default 'dev' */
  readonly stack?: string;
  /** A profile file or a built-in name. @default tenants/profile.yaml when present, else 'assistant' */
  readonly profile?: string;
  /** @default undefined */
  readonly activeFraction?: number;
  /** @default the profile's (7) */
  readonly days?: number;
  /** @default the profile's (1) */
  readonly seed?: number;
  /** @default 'human' */
  readonly format?: (typeof SIMULATE_FORMATS)[number];
  /** @default process.cwd() */
  readonly cwd?: string;
}

/** The profile named on the command line, the repository's profile file, or the assistant. */
export function resolveProfileOption(option: string | undefined, cwd: string, overrides: { days?: number; seed?: number }): Profile {
  if (option === undefined) {
    const repoProfile = join(cwd, 'tenants', 'profile.yaml');
    return existsSync(repoProfile) ? loadProfile(repoProfile, overrides) : builtinProfile('assistant', overrides);
  }
  if (BUILTIN_NAMES.includes(option)) return builtinProfile(option, overrides);
  return loadProfile(isAbsolute(option) ? option : join(cwd, option), overrides);
}

/** Runs the simulation; returns the report (throws input errors). */
export function runSimulation(options: SimulateCommandOptions): SimulationReport {
  const cwd = options.cwd ?? process.cwd();
  const tenantsFile = options.tenants ?? 'tenants/tenants.yaml';
  const tenants = loadTenants(isAbsolute(tenantsFile) ? tenantsFile : join(cwd, tenantsFile));
  const stackName = options.stack ?? 'dev';
  const stack = loadStack(stackName, cwd);
  let profile = resolveProfileOption(options.profile, cwd, { days: options.days, seed: options.seed });
  if (options.activeFraction !== undefined) profile = withActiveFraction(profile, options.activeFraction);
  return simulate({ tenants, stack, stackName, profile });
}

export function runSimulateCommand(options: SimulateCommandOptions, out: Output = createOutput()): number {
  let report: SimulationReport;
  try {
    report = runSimulation(options);
  } catch (err) {
    if (err instanceof TenantListError || err instanceof ProfileError || err instanceof StackConfigError || err instanceof Error) {
      out.error(`tenantscale simulate: ${err.message}`);
      return EXIT.FAILED;
    }
    throw err;
  }
  const format = options.format ?? 'human';
  out.info((format === 'json' ? renderJson(report) : format === 'markdown' ? renderMarkdown(report) : renderHuman(report)).trimEnd());
  return EXIT.OK;
}

function intIn(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

function fraction(value: string): number {
  const n = Number(value);
  if (!/^(0?\.\d+|0|1)$/.test(value) || !(n > 0 && n < 1)) throw new InvalidArgumentError('--active-fraction must be a number above 0 and below 1, e.g. 0.1');
  return n;
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description('simulate a month of the tenant list on the stack: cost (total, per part, per tenant), nodes, wakes and wake latency, next to always-on and fixed-node baselines (offline, deterministic)')
    .option('-t, --tenants <file>', 'tenant list', 'tenants/tenants.yaml')
    .option('--stack <name>', 'stack: reads Pulumi.<name>.yaml (or a path to a .yaml file)', 'dev')
    .option('--profile <file|name>', `traffic profile: a profile file, or ${BUILTIN_NAMES.join(', ')} (default: tenants/profile.yaml when present, else assistant)`)
    .option('--active-fraction <f>', 'the lessons\' scenario: this fraction of tenants in conversation at the busiest hour', fraction)
    .option('--days <n>', 'simulated days (the month repeats them; default 7)', intIn('--days', 1, 31))
    .option('--seed <n>', 'random seed (default 1); the same seed gives the same output', intIn('--seed', 0, 4294967295))
    .addOption(new Option('-f, --format <format>', 'output format').choices([...SIMULATE_FORMATS]).default('human'))
    .addHelpText('after', '\nExamples:\n  tenantscale simulate\n  tenantscale simulate --active-fraction 0.1 --days 1 --format markdown\n  tenantscale simulate --profile always-busy --format json | jq .monthlyCost')
    .action((opts: SimulateCommandOptions) => {
      process.exitCode = runSimulateCommand(opts);
    });
}

/**
 * The `tenantscale` command line. Each command lives in cli/commands/<name>.ts and exports
 * `register(program)`.
 */
import { Command, CommanderError } from 'commander';
import * as synth from './commands/synth';
import * as schema from './commands/schema';
import * as check from './commands/check';
import * as plan from './commands/plan';
import * as addTenant from './commands/add-tenant';
import * as validate from './commands/validate';
import * as simulate from './commands/simulate';
import * as explain from './commands/explain';

const COMMANDS: { register(program: Command): void }[] = [synth, schema, plan, addTenant, check, validate, explain, simulate];

export function buildProgram(): Command {
  const program = new Command('tenantscale')
    .description('Scale-to-zero tenants on Kubernetes: synthesize, validate, check and plan the tenant list.')
    .version(require('../../package.json').version)
    .showHelpAfterError()
    .exitOverride();
  for (const command of COMMANDS) command.register(program);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    process.stderr.write(`tenantscale: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

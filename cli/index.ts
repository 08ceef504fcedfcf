/**
 * The `tenantscale` command line. Each command lives in cli/commands/<name>.ts and exports
 * `register(program)`. Only the command being run is loaded (each brings its own dependencies:
 * cdk8s, the Pulumi SDK, CEL, ...), so that `synth` refusing a tenant list loads none of the
 * others; help, `--version` and an unknown command load them all.
 */
import { Command, CommanderError } from 'commander';

type CommandModule = { register(program: Command): void };

/** Command name → its module, in the order help lists them. */
const COMMANDS: Record<string, () => CommandModule> = {
  synth: () => require('./commands/synth') as CommandModule,
  schema: () => require('./commands/schema') as CommandModule,
  plan: () => require('./commands/plan') as CommandModule,
  'add-tenant': () => require('./commands/add-tenant') as CommandModule,
  check: () => require('./commands/check') as CommandModule,
  validate: () => require('./commands/validate') as CommandModule,
  explain: () => require('./commands/explain') as CommandModule,
  simulate: () => require('./commands/simulate') as CommandModule,
};

/** The program with every command, or with `only` when it names one. */
export function buildProgram(only?: string): Command {
  const program = new Command('tenantscale')
    .description('Scale-to-zero tenants on Kubernetes: synthesize, validate, check and plan the tenant list.')
    .version(require('../../package.json').version)
    .showHelpAfterError()
    .exitOverride();
  const names = only !== undefined && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  for (const name of names) COMMANDS[name]().register(program);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await buildProgram(argv[2]).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    process.stderr.write(`tenantscale: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

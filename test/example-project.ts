/**
 * The example project as a fixture (issue 21): the suite never reads the repository's own
 * tenants/tenants.yaml or Pulumi.dev.yaml, which a team replaces with its own. test/fixtures/example
 * holds a copy of both (Pulumi.dev.yaml and tenants/tenants.yaml), so tests assert on `ahmed`,
 * `fatima`, … whatever list the repository carries.
 */
import { resolve } from 'node:path';

/** The example project directory: Pulumi.dev.yaml and tenants/tenants.yaml. */
export const EXAMPLE_DIR = resolve(__dirname, 'fixtures', 'example');
/** The example tenant list. */
export const EXAMPLE_TENANTS = resolve(EXAMPLE_DIR, 'tenants', 'tenants.yaml');
/** The example stack file. */
export const EXAMPLE_STACK = resolve(EXAMPLE_DIR, 'Pulumi.dev.yaml');

/**
 * Runs `body` with the example project as the working directory, as `pulumi up` runs the program
 * from its project directory (infra/index.ts reads ./Pulumi.*.yaml and the stack's tenantsFile).
 */
export async function inExampleProject<T>(body: () => Promise<T>): Promise<T> {
  const cwd = process.cwd();
  process.chdir(EXAMPLE_DIR);
  try {
    return await body();
  } finally {
    process.chdir(cwd);
  }
}

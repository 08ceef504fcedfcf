import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { tenantsJsonSchema } from '../../tenants/schema';
import { createOutput, EXIT } from '../output';

/** The JSON Schema text for tenants.yaml, as committed in tenants/tenants.schema.json. */
export function schemaText(): string {
  return `${JSON.stringify(tenantsJsonSchema(), null, 2)}\n`;
}

export function register(program: Command): void {
  program
    .command('schema')
    .description('write the JSON Schema of the tenant list (generated from tenants/schema.ts)')
    .option('-o, --out <file>', 'where to write it', 'tenants/tenants.schema.json')
    .option('--check', 'exit 1 if the file is out of date instead of writing it')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText('after', '\nExit codes: 0 written (or up to date with --check); 1 out of date (--check).')
    .action((opts: { out: string; check?: boolean; quiet?: boolean }) => {
      const out = createOutput(opts);
      const text = schemaText();
      if (opts.check) {
        let current = '';
        try {
          current = readFileSync(opts.out, 'utf8');
        } catch {
          /* missing counts as out of date */
        }
        if (current !== text) {
          out.error(`${opts.out} is out of date; run \`npm run schema\``);
          process.exitCode = EXIT.FAILED;
          return;
        }
        out.info(`${opts.out} is up to date`);
        return;
      }
      writeFileSync(opts.out, text);
      out.info(`wrote ${opts.out}`);
    });
}

import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { loadManifestDir, MANIFEST_RULES, PolicyInputError, runRules, Violation } from '../../policies/engine';
import { createOutput, EXIT, Output } from '../output';

export interface CheckOptions {
  /**
   * Directory (or single file) of manifests.
   * @default 'dist'
   */
  readonly dir?: string;
  /**
   * `text` for people, `json` for pipelines.
   * @default 'text'
   */
  readonly format?: 'text' | 'json';
  /**
   * Print only mandatory violations and errors.
   * @default false
   */
  readonly quiet?: boolean;
  /**
   * Comma-separated rule names to run.
   * @default every manifest rule
   */
  readonly rules?: string;
}

/** The JSON document `--format json` prints. */
export interface CheckReport {
  readonly directory: string;
  readonly objects: number;
  readonly rules: string[];
  readonly summary: { readonly mandatory: number; readonly advisory: number };
  readonly violations: Violation[];
}

/** Groups violations by namespace, then by object (`Kind/name`), keeping the engine's order. */
export function groupViolations(violations: readonly Violation[]): Map<string, Map<string, Violation[]>> {
  const groups = new Map<string, Map<string, Violation[]>>();
  for (const v of violations) {
    const ns = v.namespace === '' ? '(cluster)' : v.namespace;
    const objects = groups.get(ns) ?? new Map<string, Violation[]>();
    const key = `${v.kind}/${v.name}`;
    objects.set(key, [...(objects.get(key) ?? []), v]);
    groups.set(ns, objects);
  }
  return groups;
}

/** Human-readable report lines (colored when the output has color). */
export function renderText(violations: readonly Violation[], out: Output): string[] {
  const c = out.color;
  const lines: string[] = [];
  for (const [ns, objects] of groupViolations(violations)) {
    lines.push(c.bold(`namespace ${ns}`));
    for (const [object, list] of objects) {
      lines.push(`  ${c.cyan(object)}`);
      for (const v of list) {
        const mark = v.level === 'mandatory' ? c.red('✗') : c.yellow('!');
        lines.push(`    ${mark} ${c.bold(v.rule)} ${c.dim(`(${v.level})`)}: ${v.message}`);
        lines.push(`      ${c.dim('fix:')} ${v.fix}`);
      }
    }
  }
  return lines;
}

/** `tenantscale check`: loads manifests, runs every rule, reports. Returns the exit code. */
export function runCheck(options: CheckOptions = {}, out: Output = createOutput(options)): number {
  const dir = options.dir ?? 'dist';
  const format = options.format ?? 'text';
  const quiet = options.quiet ?? false;
  const rules = options.rules === undefined ? undefined : options.rules.split(',').map((r) => r.trim()).filter((r) => r !== '');
  const c = out.color;
  const shown = relative(process.cwd(), dir) || '.';
  let violations: Violation[];
  let objectCount: number;
  try {
    const objects = loadManifestDir(dir);
    objectCount = objects.length;
    if (objects.length === 0) {
      out.error(c.red(`✗ no Kubernetes objects under ${shown}`) + ' (run `tenantscale synth` first, or pass the manifest directory)');
      return EXIT.FAILED;
    }
    violations = runRules(objects, { rules });
  } catch (err) {
    if (err instanceof PolicyInputError) {
      out.error(c.red(`✗ ${err.message}`));
      return EXIT.FAILED;
    }
    throw err;
  }
  const mandatory = violations.filter((v) => v.level === 'mandatory');
  const advisory = violations.length - mandatory.length;
  const ruleNames = rules ?? MANIFEST_RULES.map((r) => r.name);

  if (format === 'json') {
    const report: CheckReport = { directory: shown, objects: objectCount, rules: ruleNames, summary: { mandatory: mandatory.length, advisory }, violations };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (quiet) {
    for (const line of renderText(mandatory, out)) out.error(line);
  } else {
    for (const line of renderText(violations, out)) out.info(line);
    const counts = `${mandatory.length} mandatory, ${advisory} advisory`;
    const objectsText = `${objectCount} object${objectCount === 1 ? '' : 's'} in ${shown}/`;
    if (violations.length === 0) out.info(`${c.green('✓')} ${objectsText}, ${ruleNames.length} rules: no violations`);
    else if (mandatory.length === 0) out.info(`${c.yellow('!')} ${objectsText}: ${counts} (advisory only, exit 0)`);
    else out.info(`${c.red('✗')} ${objectsText}: ${counts}`);
  }
  return mandatory.length > 0 ? EXIT.FAILED : EXIT.OK;
}

export function register(program: Command): void {
  program
    .command('check')
    .description('run the scale-to-zero policy rules over a directory of Kubernetes manifests (default dist)')
    .argument('[dir]', 'directory (searched recursively for *.yaml, *.yml, *.json) or single manifest file', 'dist')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-r, --rules <names>', 'comma-separated rule names to run (default: all; see docs/policies.md)')
    .option('-q, --quiet', 'print only mandatory violations and errors')
    .addHelpText(
      'after',
      '\nExit codes: 0 no mandatory violation (advisory ones may be printed); 1 a mandatory violation, an\n' +
        'unreadable or empty directory, invalid YAML, or an unknown rule name.',
    )
    .action((dir: string, opts: { format: 'text' | 'json'; quiet?: boolean; rules?: string }) => {
      process.exitCode = runCheck({ dir, ...opts });
    });
}

import { relative } from 'node:path';
import { Command, Option } from 'commander';
import {
  loadManifests, ManifestProblem, MANIFEST_RULES, PolicyInputError, RESOURCE_RULES, runRules, Violation,
} from '../../policies/engine';
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
  /** The rules evaluated here. */
  readonly rules: string[];
  /** Requested rules that need the Pulumi view (node pools, Helm releases) and were not evaluated. */
  readonly notEvaluated: { readonly rule: string; readonly reason: string }[];
  readonly summary: { readonly mandatory: number; readonly advisory: number; readonly problems: number };
  /** Files, documents and objects that could not be read or checked (`error`) or were left out (`note`). */
  readonly problems: ManifestProblem[];
  readonly violations: Violation[];
}

/** Why a rule over Pulumi resources cannot run over manifest files. */
export const PULUMI_VIEW_REASON =
  'needs the Pulumi view (DOKS node pools, Helm releases), which manifest files do not have; it runs in `pulumi preview --policy-pack policies`';

/** One line naming the rules that need the Pulumi view. */
function notEvaluatedText(names: readonly string[]): string {
  const one = names.length === 1;
  return `not evaluated: ${names.join(', ')} ${one ? 'needs' : 'need'} the Pulumi view (DOKS node pools, Helm releases), which manifest files do not have; ${one ? 'it runs' : 'they run'} in \`pulumi preview --policy-pack policies\``;
}

/** Problems, and violations, printed in text mode; the rest are counted. */
export const REPORT_ENTRIES_MAX = 20;

/** Problem lines grouped by file, in the engine's order. */
export function renderProblems(problems: readonly ManifestProblem[], out: Output): string[] {
  const c = out.color;
  const lines: string[] = [];
  let file: string | undefined;
  for (const p of problems) {
    if (p.file !== file) {
      file = p.file;
      lines.push(c.bold(`file ${p.file}`));
    }
    const mark = p.level === 'error' ? c.red('✗') : c.dim('○');
    lines.push(`  ${mark} ${p.line === undefined ? '' : `line ${p.line}: `}${p.message}`);
  }
  return lines;
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
  const requested = options.rules === undefined ? undefined : options.rules.split(',').map((r) => r.trim()).filter((r) => r !== '');
  const c = out.color;
  const shown = relative(process.cwd(), dir) || '.';
  const resourceNames = new Set(RESOURCE_RULES.map((r) => r.name));
  // Rules over Pulumi resources cannot run on files: reported as not evaluated, never as passed.
  const notEvaluated = (requested ?? RESOURCE_RULES.map((r) => r.name)).filter((r) => resourceNames.has(r)).map((rule) => ({ rule, reason: PULUMI_VIEW_REASON }));
  const evaluated = requested === undefined ? MANIFEST_RULES.map((r) => r.name) : requested.filter((r) => !resourceNames.has(r));
  let violations: Violation[];
  let objectCount: number;
  let problems: ManifestProblem[];
  try {
    const loaded = loadManifests(dir);
    problems = loaded.problems;
    objectCount = loaded.objects.length;
    if (loaded.objects.length === 0 && problems.length === 0) {
      out.error(c.red(`✗ no Kubernetes objects under ${shown}`) + ' (run `tenantscale synth` first, or pass the manifest directory)');
      return EXIT.FAILED;
    }
    // An unknown name stays in `evaluated`, so runRules refuses it.
    violations = runRules(loaded.objects, { rules: requested === undefined ? undefined : evaluated });
  } catch (err) {
    if (err instanceof PolicyInputError) {
      out.error(c.red(`✗ ${err.message}`));
      return EXIT.FAILED;
    }
    throw err;
  }
  const mandatory = violations.filter((v) => v.level === 'mandatory');
  const advisory = violations.length - mandatory.length;
  const errors = problems.filter((p) => p.level === 'error');
  const nothingEvaluated = evaluated.length === 0;
  const failed = mandatory.length > 0 || errors.length > 0 || nothingEvaluated;

  if (format === 'json') {
    const report: CheckReport = {
      directory: shown,
      objects: objectCount,
      rules: evaluated,
      notEvaluated,
      summary: { mandatory: mandatory.length, advisory, problems: errors.length },
      problems,
      violations,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return failed ? EXIT.FAILED : EXIT.OK;
  }
  // Bounded at any output size: the first entries and a count (`--format json` lists every one).
  const capped = <T>(list: readonly T[], what: string, render: (shown: readonly T[]) => string[]): string[] =>
    list.length <= REPORT_ENTRIES_MAX ? render(list) : [...render(list.slice(0, REPORT_ENTRIES_MAX)), `… and ${(list.length - REPORT_ENTRIES_MAX).toLocaleString('en-US')} more ${what} (check --format json lists them all)`];
  if (quiet) {
    for (const line of capped(errors, 'problems', (l) => renderProblems(l, out))) out.error(line);
    for (const line of capped(mandatory, 'violations', (l) => renderText(l, out))) out.error(line);
    if (nothingEvaluated) out.error(c.red(`✗ ${notEvaluatedText(notEvaluated.map((r) => r.rule))}`));
    return failed ? EXIT.FAILED : EXIT.OK;
  }
  for (const line of capped(problems, 'problems', (l) => renderProblems(l, out))) out.info(line);
  for (const line of capped(violations, 'violations', (l) => renderText(l, out))) out.info(line);
  if (notEvaluated.length > 0) out.info(`${c.dim('○')} ${notEvaluatedText(notEvaluated.map((r) => r.rule))}`);
  const counts = `${mandatory.length} mandatory, ${advisory} advisory`;
  const objectsText = `${objectCount} object${objectCount === 1 ? '' : 's'} in ${shown}/`;
  const filesWithErrors = new Set(errors.map((p) => p.file)).size;
  const problemText = errors.length === 0 ? '' : `; ${errors.length} problem${errors.length === 1 ? '' : 's'} in ${filesWithErrors} file${filesWithErrors === 1 ? '' : 's'} (not checked)`;
  if (nothingEvaluated) out.info(`${c.red('✗')} ${objectsText}: no rule evaluated${problemText}`);
  else if (violations.length === 0 && errors.length === 0) out.info(`${c.green('✓')} ${objectsText}, ${evaluated.length} rules: no violations`);
  else if (!failed) out.info(`${c.yellow('!')} ${objectsText}: ${counts} (advisory only, exit 0)`);
  else out.info(`${c.red('✗')} ${objectsText}: ${counts}${problemText}`);
  return failed ? EXIT.FAILED : EXIT.OK;
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
        'unreadable file or directory, invalid YAML, an object without a name string (each reported, the\n' +
        'rest still checked), an empty directory, an unknown rule name, or only rules that need the\n' +
        'Pulumi view (capacity-fits, chart-versions-pinned, scale-to-zero-needs-node-autoscaling).',
    )
    .action((dir: string, opts: { format: 'text' | 'json'; quiet?: boolean; rules?: string }) => {
      process.exitCode = runCheck({ dir, ...opts });
    });
}

/**
 * `tenantscale validate [--crds DIR] [--k8s-schema FILE] [DIR]`: strict schema conformance of
 * every object in every YAML file under DIR (default dist), against the Kubernetes API schema and
 * the CRDs in --crds DIR. See cli/conformance/ for the rules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Command, Option } from 'commander';
import { BUNDLED_CRDS, bundledCrdCatalog, CrdCatalog, loadCrdDirectory } from '../conformance/crd-catalog';
import { formatPath } from '../conformance/field-path';
import { boundedLines } from '../../tenants/problem';
import { isPlainObject } from '../conformance/field-path';
import { KUSTOMIZATION_FILES, KustomizeRole, kustomizeReferences } from '../conformance/kustomization-check';
import { kubernetesModelsCatalog } from '../conformance/kubernetes-models-schemas';
import { loadOpenApiV2File, SchemaSourceError } from '../conformance/kubernetes-openapi';
import { BuiltinCatalog } from '../conformance/schema-catalog';
import { ConformanceReport, ObjectReport, startConformanceRun } from '../conformance/validate-objects';
import { findYamlFiles, parseYamlObjects } from '../conformance/yaml-documents';
import { createOutput, EXIT, Output } from '../output';

export interface ValidateOptions {
  /** File or directory of manifests. @default 'dist' */
  readonly dir?: string;
  /**
   * Directory (or file) of CustomResourceDefinition YAML; `false` (--no-bundled-crds without --crds) uses none.
   * @default the bundled CRD schemas (bundledCrdCatalog: every CRD tenantscale writes, from the pinned files)
   */
  readonly crds?: string | false;
  /** @default true: without --crds, the bundled CRD schemas */
  readonly bundledCrds?: boolean;
  /** Kubernetes OpenAPI v2 JSON. @default the kubernetes-models package */
  readonly k8sSchema?: string;
  /** @default 'text' */
  readonly format?: 'text' | 'json';
  /** @default false */
  readonly quiet?: boolean;
  /** A namespaced object without metadata.namespace fails (default: a note). @default false */
  readonly requireNamespace?: boolean;
  /** An object of a kind without a schema fails (default: reported as not checked). @default false */
  readonly requireSchemas?: boolean;
}

/** What the kustomizations among `files` name besides resources, and where they are. */
export function kustomizeLayout(files: readonly string[]): { roles: Map<string, KustomizeRole>; dirs: string[] } {
  const roles = new Map<string, KustomizeRole>();
  const dirs: string[] = [];
  for (const file of files.filter((f) => KUSTOMIZATION_FILES.includes(basename(f)))) {
    dirs.push(dirname(file));
    const parsed = parseYamlObjects(file, readFileSync(file, 'utf8'));
    for (const object of parsed.objects) {
      if (!isPlainObject(object.value)) continue;
      for (const ref of kustomizeReferences(object.value)) roles.set(join(dirname(file), ref.entry), ref.role);
    }
  }
  return { roles, dirs };
}

/** Problem lines, and note lines, printed in text mode; the rest are counted. */
export const REPORT_LINES_MAX = 20;

/** `Deployment tenant-ahmed/ahmed`, `Namespace tenant-ahmed`, `document 3`. */
export function describeObject(report: ObjectReport): string {
  const item = report.item === undefined ? '' : ` item ${report.item}`;
  if (!report.kind) return `document ${report.document}${item}`;
  if (report.schema === 'kustomize') return report.kind;
  const name = report.name ? `${report.namespace ? `${report.namespace}/` : ''}${report.name}` : `(unnamed, document ${report.document}${item})`;
  return `${report.kind} ${name}`;
}

/** One line per problem: `file: kind namespace/name: path: message`. */
export function formatProblems(report: ConformanceReport): string[] {
  const lines: string[] = [];
  for (const object of report.objects) {
    for (const p of object.problems) lines.push(`${object.file}: ${describeObject(object)}: ${formatPath(p.path)}: ${p.message}`);
  }
  return lines;
}

/** One line per note (accepted, worth knowing) and per CEL rule not evaluated. */
export function formatNotes(report: ConformanceReport): string[] {
  const lines: string[] = [];
  for (const object of report.objects) {
    for (const n of object.notes ?? []) lines.push(`${object.file}: ${describeObject(object)}: ${formatPath(n.path)}: note: ${n.message}`);
    for (const u of object.unevaluated ?? []) lines.push(`${object.file}: ${describeObject(object)}: ${formatPath(u.path)}: note: CEL rule not evaluated (${u.why}): ${u.rule}`);
  }
  return lines;
}

/** `validated N objects in M files: K failed[, J not checked (no schema)][, S skipped (kustomize input)]`. */
export function summaryLine(report: ConformanceReport): string {
  const n = report.objects.length;
  const m = report.files.length;
  const skipped = report.objects.filter((o) => o.skipped !== undefined).length;
  return (
    `validated ${n} object${n === 1 ? '' : 's'} in ${m} file${m === 1 ? '' : 's'}: ${report.failed} failed` +
    (report.notChecked > 0 ? `, ${report.notChecked} not checked (no schema)` : '') +
    (skipped > 0 ? `, ${skipped} skipped (kustomize input)` : '')
  );
}

/** True when the run passes under the options. */
export function passed(report: ConformanceReport, options: Pick<ValidateOptions, 'requireSchemas'> = {}): boolean {
  return report.failed === 0 && !(options.requireSchemas === true && report.notChecked > 0);
}

/** The JSON document printed by `--format json`. */
export function reportJson(report: ConformanceReport, sources: { kubernetes: string; crds?: CrdCatalog }, options: Pick<ValidateOptions, 'requireSchemas'> = {}): unknown {
  const where = (o: ObjectReport) => ({
    file: o.file,
    line: o.line,
    document: o.document,
    ...(o.item === undefined ? {} : { item: o.item }),
    apiVersion: o.apiVersion ?? null,
    kind: o.kind ?? null,
    namespace: o.namespace ?? null,
    name: o.name ?? null,
  });
  return {
    ok: passed(report, options),
    files: report.files.length,
    objects: report.objects.length,
    failed: report.failed,
    notChecked: report.notChecked,
    complete: report.notChecked === 0,
    schemas: { kubernetes: sources.kubernetes, crds: sources.crds?.size ?? 0 },
    cel: { evaluated: report.unchecked.celEvaluated, notEvaluated: report.unchecked.celRules, transitionRulesSkipped: report.unchecked.celTransitions },
    unchecked: { celRules: report.unchecked.celRules, patterns: report.unchecked.patterns },
    notes: report.objects.flatMap((o) => (o.notes ?? []).map((n) => ({ ...where(o), path: formatPath(n.path), message: n.message }))),
    celNotEvaluated: report.objects.flatMap((o) => (o.unevaluated ?? []).map((u) => ({ ...where(o), path: formatPath(u.path), rule: u.rule, why: u.why }))),
    problems: report.objects.flatMap((o) =>
      o.problems.map((p) => ({ ...where(o), path: formatPath(p.path), message: p.message })),
    ),
  };
}

/**
 * Runs the command; returns the exit code. Problems and failures go to `out` (stderr); the JSON
 * document of `--format json` goes to `stdout`, even under --quiet.
 */
export function runValidate(
  options: ValidateOptions,
  out: Output = createOutput(options),
  stdout: (text: string) => void = (text) => process.stdout.write(text),
): number {
  const dir = options.dir ?? 'dist';
  const format = options.format ?? 'text';
  const fail = (message: string): number => {
    if (format === 'json') stdout(`${JSON.stringify({ ok: false, error: message }, null, 2)}\n`);
    else out.error(out.color.red(`✗ ${message}`));
    return EXIT.FAILED;
  };
  if (!existsSync(dir)) return fail(`${dir} does not exist; run \`tenantscale synth\` first or name the directory to validate`);

  let builtins: BuiltinCatalog;
  let crds: CrdCatalog | undefined;
  try {
    builtins = options.k8sSchema !== undefined ? loadOpenApiV2File(options.k8sSchema) : kubernetesModelsCatalog();
    crds = typeof options.crds === 'string' ? loadCrdDirectory(options.crds) : options.crds === false || options.bundledCrds === false ? undefined : bundledCrdCatalog();
  } catch (err) {
    if (err instanceof SchemaSourceError) return fail(err.message);
    throw err;
  }

  const files = findYamlFiles(dir);
  if (files.length === 0) return fail(`no *.yaml or *.yml files under ${dir}; run \`tenantscale synth\` first`);
  const layout = kustomizeLayout(files);
  const run = startConformanceRun({ builtins, crds }, { files, kustomizeRoles: layout.roles, kustomizationDirs: layout.dirs }, { requireNamespace: options.requireNamespace });
  try {
    for (const file of files) {
      const parsed = parseYamlObjects(file, readFileSync(file, 'utf8'));
      run.add(parsed.objects, parsed.problems);
    }
  } catch (err) {
    // kubernetes-models loads each kind's validator on first use.
    if (err instanceof SchemaSourceError) return fail(err.message);
    throw err;
  }
  const report = run.finish(files);

  const ok = passed(report, options);
  if (format === 'json') {
    stdout(`${JSON.stringify(reportJson(report, { kubernetes: builtins.description, crds }, options), null, 2)}\n`);
    return ok ? EXIT.OK : EXIT.FAILED;
  }
  // Bounded at any output size: the first lines and a count (`--format json` lists every one).
  const problems = boundedLines(formatProblems(report), REPORT_LINES_MAX, (rest) => `… and ${rest.toLocaleString('en-US')} more problems (validate --format json lists them all)`);
  for (const line of problems.more ? [...problems.shown, problems.more] : problems.shown) out.error(line);
  const notes = boundedLines(formatNotes(report), REPORT_LINES_MAX, (rest) => `… and ${rest.toLocaleString('en-US')} more notes (validate --format json lists them all)`);
  for (const line of notes.more ? [...notes.shown, notes.more] : notes.shown) out.warn(line);
  const c = out.color;
  out.info(`schemas: ${builtins.description}${crds ? `; ${crds.size} CRDs from ${typeof options.crds === 'string' ? options.crds : BUNDLED_CRDS}` : '; no CRDs (pass --crds DIR, or drop --no-bundled-crds)'}`);
  if (crds?.projectKinds?.length) out.info(`  and the project's own schema of ${crds.projectKinds.join(', ')} (cli/conformance/flux-instance-crd.ts: no pinned upstream CRD)`);
  const { celRules, celEvaluated, celTransitions, patterns } = report.unchecked;
  if (celEvaluated + celRules + celTransitions > 0) {
    out.info(`CEL rules: ${celEvaluated} evaluated, ${celRules} not evaluated (listed above), ${celTransitions} transition rules skipped (they apply to updates only)`);
  }
  if (patterns > 0) out.warn(`note: ${patterns} pattern checks were skipped: the pattern is RE2 syntax JavaScript cannot compile`);
  if (report.notChecked > 0 && options.requireSchemas) out.error(c.red(`✗ ${report.notChecked} object${report.notChecked === 1 ? ' has' : 's have'} no schema and --require-schemas is set`));
  if (!ok) out.error(c.red(`✗ ${summaryLine(report)}`));
  // A run that checked less than every object says so in its summary line (and --require-schemas makes it fail).
  else if (report.notChecked > 0) out.warn(c.yellow(`! ${summaryLine(report)}: INCOMPLETE, ${report.notChecked} of ${report.objects.length} objects not checked; pass --crds DIR with their CRDs, and --require-schemas to fail such a run`));
  else out.info(c.green(`✓ ${summaryLine(report)}`));
  return ok ? EXIT.OK : EXIT.FAILED;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check every object in the YAML under DIR against the Kubernetes API schema and CRD schemas (strict: unknown fields fail)')
    .argument('[dir]', 'file or directory of manifests (*.yaml, *.yml, multi-document)', 'dist')
    .option('--crds <dir>', 'directory of CustomResourceDefinition YAML (e.g. upstream CRDs or `kubectl get crd -o yaml`); default: the bundled CRD schemas of every kind tenantscale writes')
    .option('--no-bundled-crds', 'without --crds: use no CRD schemas (custom kinds are then not checked)')
    .option('--k8s-schema <file>', 'Kubernetes OpenAPI v2 JSON (`kubectl get --raw /openapi/v2`, or a bare {definitions}); default: the kubernetes-models package')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--require-namespace', 'a namespaced object without metadata.namespace fails (default: a note; the applier sets the namespace)')
    .option('--require-schemas', 'an object whose kind no schema or CRD describes fails (default: reported as not checked)')
    .option('-q, --quiet', 'print nothing but problems and the failure summary')
    .addHelpText(
      'after',
      '\nOutput: one line per problem, `file: Kind namespace/name: path: message`, then\n' +
        '`validated N objects in M files: K failed`.\n' +
        'Notes (accepted, worth knowing) and CEL rules that could not be evaluated follow, one line each.\n' +
        '\nExit codes: 0 every checked object conforms (objects of a kind without a schema are reported\n' +
        'as not checked, and the summary line then starts with "!" and says INCOMPLETE); 1 an object fails, an input or schema source cannot be read, or (with\n' +
        '--require-schemas) an object has no schema.',
    )
    .action((dir: string, opts: Omit<ValidateOptions, 'dir'>) => {
      process.exitCode = runValidate({ ...opts, dir });
    });
}

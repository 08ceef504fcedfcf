import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { Manifest } from '../../constructs/manifests';
import type { SynthPool } from '../synth-worker';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../../constructs/platform-settings';
import { TenantSpec } from '../../tenants/schema';
import { loadTenants } from '../../tenants/validate';
import { MAX_TENANTS_HELP, parseMaxTenants } from '../max-tenants-option';
import { boundedLines, boundedList, problemJson, problemLines, shownProblems, TenantListError } from '../../tenants/problem';
import { createOutput, EXIT, Output } from '../output';
import { writeKustomization } from '../kustomization';
import type { OutputRefusedError } from '../synth-output/staging';
import { localPlacementWarnings } from '../../infra/local-placement';
import type { SynthStack } from '../synth-stack';
import { unplacedChecks } from '../../tenants/rules/placement';
import { pullSecretNotes, pullSecretUsers } from '../pull-secret-notes';
import { egressNotes } from '../egress-notes';
import { DEFAULT_TENANTS_FILE, driftReport, platformDrift, tenantsStackConflict } from '../platform-drift';

export { DEFAULT_TENANTS_FILE, tenantsStackConflict } from '../platform-drift';

// What synth needs only once the tenant list is valid (cdk8s and cdk8s-plus, the platform's
// constructs, the Grafana SDK, the worker threads: about 1.5 s of CPU to load) is required then,
// not at start: a refused list answers without loading any of it (test/synth/refusal-cost.test.ts).
const manifests = () => require('../../constructs/manifests') as typeof import('../../constructs/manifests');
const workers = () => require('../synth-worker') as typeof import('../synth-worker');
const platformModule = () => require('../../constructs/platform/platform-manifests') as typeof import('../../constructs/platform/platform-manifests');
const ownershipModule = () => require('../synth-output/ownership') as typeof import('../synth-output/ownership');
const stagingModule = () => require('../synth-output/staging') as typeof import('../synth-output/staging');
const fluxLayout = () => require('../flux-layout') as typeof import('../flux-layout');

export interface SynthInput {
  readonly tenants: readonly TenantSpec[];
  /** @default DEFAULT_PLATFORM_SETTINGS */
  readonly settings?: PlatformSettings;
  /** Platform-level objects (GatewayClass, Gateway, EnvoyProxy), written to platform/platform.yaml. */
  readonly platform?: readonly Manifest[];
}

export interface SynthResult {
  /** Relative path (e.g. `tenants/ahmed.yaml`) → file content, in write order. */
  readonly files: Map<string, string>;
  /** Objects per kind. */
  readonly kinds: Record<string, number>;
  readonly objectCount: number;
  readonly tenantCount: number;
}

/** Synthesizes everything in memory; nothing touches the disk. */
export function synthesize(input: SynthInput): SynthResult {
  const settings = input.settings ?? DEFAULT_PLATFORM_SETTINGS;
  const { tenantManifests, toYaml } = manifests();
  const { mergeTallies, tallyObjects } = workers();
  const files = new Map<string, string>();
  const platform = input.platform ?? [];
  const tallies = [tallyObjects(platform, 0)];
  if (platform.length > 0) files.set('platform/platform.yaml', toYaml(platform));
  for (const spec of input.tenants) {
    const objects = tenantManifests(spec, settings);
    tallies.push(tallyObjects(objects, 1));
    files.set(`tenants/${spec.name}.yaml`, toYaml(objects));
  }
  const { kinds, objectCount, tenantCount } = mergeTallies(tallies);
  return { files, kinds, objectCount, tenantCount };
}

/** What `synthesizeToDirectory` wrote. */
export interface SynthSummary {
  /** Relative paths written (e.g. `tenants/ahmed.yaml`): platform first, then tenants in list order. */
  readonly files: readonly string[];
  /** Objects per kind, sorted by kind. */
  readonly kinds: Record<string, number>;
  readonly objectCount: number;
  readonly tenantCount: number;
}

export interface SynthToDirectoryOptions {
  /**
   * Threads that build tenants: 1 builds in-process, n > 1 builds on n worker threads. The output
   * is byte-identical for every value.
   * @default defaultThreadCount(tenants): 1 below 200 tenants, else one per CPU (at most 8)
   */
  readonly threads?: number;
  /**
   * Workers the caller started beforehand, used instead of starting new ones when more
   * than one thread builds. The caller closes it.
   * @default none: workers are started here when needed
   */
  readonly pool?: SynthPool;
  /**
   * Also write kustomization.yaml at the root, listing every synthesized file.
   * @default false
   */
  readonly kustomize?: boolean;
  /**
   * Files synth reads (the tenant list): the output directory must not contain them.
   * @default none
   */
  readonly inputs?: readonly string[];
  /**
   * More files to write into the output directory (path relative to it → text), staged, published
   * and put on the record with the rest: the flux layout (shards/, flux/) of a flux stack.
   * @default none
   */
  readonly extraFiles?: ReadonlyMap<string, string>;
}

/**
 * Synthesizes validated tenants into `outDir`, for lists of any size, and owns only what it
 * writes there (cli/synth-output/): it first refuses a directory holding anything it did not
 * write (OutputRefusedError); tenants are built on several threads into a staging directory
 * beside `outDir`, each file written as soon as it is built (memory stays flat); the staged
 * output replaces the previous one only once every file is written, with a record of the files
 * and their SHA-256. A failure or a signal leaves the previous output intact. Same files and
 * bytes as `synthesize`.
 */
export async function synthesizeToDirectory(outDir: string, input: SynthInput, options: SynthToDirectoryOptions = {}): Promise<SynthSummary> {
  const settings = input.settings ?? DEFAULT_PLATFORM_SETTINGS;
  const { toYaml } = manifests();
  const { buildInParallel, defaultThreadCount, mergeTallies, tallyObjects } = workers();
  const { inspectOutput } = ownershipModule();
  const { OutputRefusedError, Staging } = stagingModule();
  const threads = Math.max(1, Math.floor(options.threads ?? defaultThreadCount(input.tenants.length)));
  const platform = input.platform ?? [];
  // A symbolic link to a directory: stage beside the directory itself, on its filesystem.
  const out = existsSync(outDir) ? realpathSync(outDir) : resolve(outDir);
  const ownership = inspectOutput(out, { inputs: options.inputs ?? [], protectedDirs: [packageRoot()] });
  if (ownership.refusal) throw new OutputRefusedError(outDir, ownership.refusal);
  mkdirSync(dirname(out), { recursive: true });
  const staging = Staging.open(out);
  try {
    const files: string[] = [];
    if (platform.length > 0) {
      writeFileSync(join(staging.tree, 'platform', 'platform.yaml'), toYaml(platform));
      files.push('platform/platform.yaml');
    }
    const tenantTally = await buildInParallel(input.tenants, settings, staging.tree, threads, threads > 1 ? options.pool : undefined);
    for (const spec of input.tenants) files.push(`tenants/${spec.name}.yaml`);
    if (options.kustomize ?? false) writeKustomization(staging.tree, files);
    for (const [path, text] of options.extraFiles ?? []) {
      mkdirSync(dirname(join(staging.tree, path)), { recursive: true });
      writeFileSync(join(staging.tree, path), text);
    }
    staging.publish(ownership);
    const tally = mergeTallies([tallyObjects(platform, 0), tenantTally]);
    return { files, kinds: tally.kinds, objectCount: tally.objectCount, tenantCount: input.tenants.length };
  } finally {
    staging.discard();
  }
}

/** The directory of tenantscale's own package.json: its sources, which synth never writes over. */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'tenantscale.js'))) return dir;
    if (dirname(dir) === dir) return resolve(__dirname, '..', '..');
  }
}

export interface SynthOptions {
  /**
   * The tenant list. With `stack` it must be the stack's own `tenantscale:tenantsFile` (or unset):
   * synth refuses another file rather than ignore it.
   * @default DEFAULT_TENANTS_FILE, or the stack's tenantsFile with `stack`
   */
  readonly tenants?: string;
  readonly out: string;
  readonly quiet?: boolean;
  /**
   * Threads that build tenants: 1 in-process, n > 1 worker threads (see `SynthToDirectoryOptions.threads`).
   * @default one per CPU (at most 8) for 200 tenants or more, else 1
   */
  readonly workers?: number;
  /**
   * Also write kustomization.yaml at the root of `out`, listing every synthesized file (Argo CD, Flux).
   * @default false
   */
  readonly kustomize?: boolean;
  /**
   * A Pulumi stack (`dev` for Pulumi.dev.yaml, or the file's path): synthesize the tenants it
   * serves (its tenantSelector, its tenantsFile) and, in flux mode, the shards and Flux objects.
   * @default none (every tenant of --tenants)
   */
  readonly stack?: string;
  /**
   * Most tenants the list may hold (tenants/read.ts `readLimits`: the file, content and alias
   * limits scale with it); overrides the stack's `tenantscale:limits.maxTenants` with `--stack`.
   * @default the stack's limits.maxTenants, else DEFAULT_MAX_TENANTS (50,000)
   */
  readonly maxTenants?: number;
  /**
   * `json`: print one JSON document (every file, every note, every pull Secret's tenants) instead
   * of the bounded text summary.
   * @default 'text'
   */
  readonly format?: 'text' | 'json';
  /**
   * Without `stack`: build for the built-in platform even when a stack here serves the list with
   * another tenant domain (see cli/platform-drift.ts); the warning is still printed.
   * @default false
   */
  readonly builtinPlatform?: boolean;
}

/** Note lines printed per kind of note; the rest are counted (`synth --format json` lists them all). */
export const NOTES_SHOWN_MAX = 10;

/** `tenantscale synth`: validate, synthesize, write, summarize. Resolves to the exit code. */
export async function runSynth(options: SynthOptions, out: Output = createOutput({ ...options, quiet: options.quiet || options.format === 'json' })): Promise<number> {
  const json = options.format === 'json';
  const tenantsFile = options.tenants ?? DEFAULT_TENANTS_FILE;
  let tenants: TenantSpec[];
  let stack: SynthStack | undefined;
  try {
    // Only --stack needs the stack schema (and the Pulumi SDK it pulls in).
    stack = options.stack === undefined ? undefined : (require('../synth-stack') as typeof import('../synth-stack')).readSynthStack(options.stack, process.cwd(), { maxTenants: options.maxTenants });
    // The tenant domain this output serves: no tenant may take it (synth-stack passes the stack's).
    tenants = stack ? stack.tenants : loadTenants(tenantsFile, { tenantDomain: DEFAULT_PLATFORM_SETTINGS.tls?.tenantDomain, maxTenants: options.maxTenants });
  } catch (err) {
    if (err instanceof TenantListError) {
      if (json) process.stdout.write(`${JSON.stringify({ ok: false, file: err.file, problems: err.problems.map(problemJson) }, null, 2)}\n`);
      reportProblems(err, out);
      return EXIT.FAILED;
    }
    if (stack === undefined && options.stack !== undefined && err instanceof Error) {
      out.error(out.color.red(`✗ --stack ${options.stack}: ${err.message}; nothing was written`));
      return EXIT.FAILED;
    }
    throw err;
  }
  // Without --stack: say loudly how the built-in platform is not what a stack here deploys.
  if (!stack) {
    const drift = driftReport(platformDrift(tenantsFile, tenants), 'synth', options.builtinPlatform ?? false);
    // A refusal is an error; a difference a warning on stderr (silenced by --quiet only).
    for (const line of drift.lines) (drift.refused ? out.error(out.color.red(line)) : out.warn(out.color.yellow(line)));
    if (drift.refused) return EXIT.FAILED;
  }
  const conflict = stack && tenantsStackConflict(options.tenants, stack);
  if (conflict) {
    out.error(out.color.red(`✗ ${conflict}`));
    return EXIT.FAILED;
  }
  if (stack?.flux && options.kustomize) {
    out.error(out.color.red(`✗ --kustomize with flux stack ${stack.stack}: Flux applies the shards' kustomizations (shards/*/kustomization.yaml), not one for the whole directory; fix: drop --kustomize; nothing was written`));
    return EXIT.FAILED;
  }
  // Nothing is built (no worker started, no construct loaded) until the whole list is valid;
  // nothing replaces the output until all is built.
  const threads = options.workers ?? workers().defaultThreadCount(tenants.length);
  const { certManagerManifests, monitoringManifests, platformManifests, platformNetworkPolicyManifests } = platformModule();
  // With --stack: the stack's HTTPS (tenant domain, issuer; the local CA in kubeconfig mode).
  const issuers = stack?.config.clusterMode === 'kubeconfig' ? 'local-ca' : 'acme';
  const tls = { ...DEFAULT_PLATFORM_SETTINGS, tls: stack ? stack.settings.tls : DEFAULT_PLATFORM_SETTINGS.tls };
  const platform = [
    ...certManagerManifests(tls, { issuers, email: stack?.config.tls.email }),
    ...platformManifests(tls, stack?.platformObjects),
    ...monitoringManifests(DEFAULT_PLATFORM_SETTINGS, { tenants }),
    // Without --stack every namespace a default stack installs; with it, as `pulumi up` applies them (or none).
    ...(stack === undefined ? platformNetworkPolicyManifests(tls) : stack.platformPolicies ? platformNetworkPolicyManifests(tls, stack.platformPolicies) : []),
  ];
  let result: SynthSummary;
  try {
    result = await synthesizeToDirectory(
      options.out,
      { tenants, platform, settings: stack?.settings },
      { threads, kustomize: options.kustomize ?? false, inputs: [stack?.tenantsFile ?? tenantsFile], extraFiles: stack?.flux ? fluxLayout().fluxLayoutFiles(tenants.map((t) => t.name), stack.flux.shards, stack.flux.delivery) : undefined },
    );
  } catch (err) {
    if (!(err instanceof stagingModule().OutputRefusedError)) throw err;
    for (const line of ownershipModule().refusalLines(options.out, (err as OutputRefusedError).refusal)) out.error(line);
    return EXIT.FAILED;
  }
  summarize(result, tenants, options, out);
  // Placement is checked against a DOKS stack's node pools; without one, say what was not.
  const placement = stack?.config.clusterMode === 'kubeconfig' ? localPlacementWarnings(tenants).map((l) => `! ${l}`) : stack === undefined ? tenants.flatMap((t) => unplacedChecks(t) ?? []).map((l) => `note: ${l}`) : [];
  const { shown, more } = boundedLines(placement, NOTES_SHOWN_MAX, (rest) => `note: … and ${rest.toLocaleString('en-US')} more tenants placed on node pools (synth --format json lists them all)`);
  for (const line of more ? [...shown, more] : shown) out.info(`  ${line}`);
  for (const line of stack?.unchecked ?? []) out.info(`  ! ${line}`);
  const pullSecrets = pullSecretNotes(tenants, stack);
  for (const line of pullSecrets) out.info(line);
  const egress = egressNotes(tenants, stack ? (require('../../infra/cluster-facts') as typeof import('../../infra/cluster-facts')).clusterRanges(stack.config) : undefined, stack?.stack);
  const egressShown = boundedLines(egress, NOTES_SHOWN_MAX, (rest) => `  ! … and ${rest.toLocaleString('en-US')} more egress notes (synth --format json lists them all)`);
  for (const line of egressShown.more ? [...egressShown.shown, egressShown.more] : egressShown.shown) out.info(line);
  if (stack?.flux) {
    const where = relative(process.cwd(), options.out) || '.';
    out.info(`  flux (stack ${stack.stack}): ${stack.flux.shards} shard kustomizations → ${where}/shards/, Flux objects → ${where}/flux/delivery.yaml`);
  }
  if (json) {
    const summary = { ok: true, out: options.out, tenants: result.tenantCount, objects: result.objectCount, kinds: result.kinds, files: result.files, placementNotes: placement, pullSecretNotes: pullSecrets.map((l) => l.trim()), pullSecretUsers: pullSecretUsers(tenants), egressNotes: egress.map((l) => l.trim()) };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  }
  return EXIT.OK;
}

function summarize(result: SynthSummary, tenants: readonly TenantSpec[], options: SynthOptions, out: Output): void {
  const c = out.color;
  const where = relative(process.cwd(), options.out) || '.';
  out.info(
    `${c.green('✓')} synthesized ${c.bold(String(result.tenantCount))} tenant${result.tenantCount === 1 ? '' : 's'}, ` +
      `${result.objectCount} objects → ${where}/`,
  );
  const kinds = Object.entries(result.kinds).sort(([a], [b]) => a.localeCompare(b));
  out.info(kinds.map(([kind, n]) => `  ${kind.padEnd(24)}${String(n).padStart(6)}`).join('\n'));
  out.info(`  files: ${boundedList(tenants.map((t) => `${where}/tenants/${t.name}.yaml`))}`);
  if (result.files.includes('platform/platform.yaml')) out.info(`         ${where}/platform/platform.yaml`);
}

/** Parses `--format`: text or json. */
export function parseFormat(value: string): 'text' | 'json' {
  if (value !== 'text' && value !== 'json') throw new InvalidArgumentError('expected text or json');
  return value;
}

/** Parses `--workers`: a whole number of threads, at least 1. */
export function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of threads, at least 1');
  return n;
}

/** Prints every problem of a tenant list, one per line, and says nothing was written. */
export function reportProblems(err: TenantListError, out: Output): void {
  const c = out.color;
  out.error(c.red(`✗ ${err.file}: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}; nothing was written`));
  const { shown, more } = shownProblems(err.problems);
  for (const p of shown) for (const line of problemLines(p, c)) out.error(line);
  if (more) out.error(`  ${more}`);
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('validate the tenant list and write one YAML file per tenant (and the platform objects)')
    .option('-t, --tenants <file>', `tenant list (default: ${DEFAULT_TENANTS_FILE}; with --stack, the stack's tenantscale:tenantsFile, and another file is refused)`)
    .option('-o, --out <dir>', 'output directory', 'dist')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--kustomize', 'also write kustomization.yaml at the root of the output directory, listing every file (Argo CD, Flux, kubectl apply -k)')
    .option('--stack <name>', 'synthesize what one Pulumi stack serves (Pulumi.<name>.yaml or its path): its tenantSelector; in flux mode also shards/ and flux/')
    .option('--builtin-platform', 'without --stack: build for the built-in platform (tenant domain tenants.example.com) even when a stack here serves the list with another domain')
    .option('--format <format>', 'text (a bounded summary) or json (every file, note and pull Secret user)', parseFormat, 'text')
    .option('-w, --workers <n>', 'threads that build tenants (default: one per CPU from 200 tenants; 1 = in-process)', parseWorkers)
    .option('--max-tenants <n>', MAX_TENANTS_HELP, parseMaxTenants)
    .addHelpText(
      'after',
      '\nsynth owns only what it wrote: it keeps a record of its files (DIR/.tenantscale-output.sha256), replaces only those,\n' +
        'and refuses a directory holding anything else, the tenant list, or a Git repository root (nothing written).\n' +
        '\nExit codes: 0 written; 1 the tenant list or the --stack has problems, or the output directory is refused (nothing written).',
    )
    .action(async (opts: SynthOptions) => {
      process.exitCode = await runSynth(opts);
    });
}

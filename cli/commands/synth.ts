import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { Manifest, tenantManifests, toYaml } from '../../constructs/manifests';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../../constructs/platform-settings';
import { TenantSpec } from '../../tenants/schema';
import { loadTenants } from '../../tenants/validate';
import { TenantListError } from '../../tenants/problem';
import { createOutput, EXIT, Output } from '../output';

/** Subdirectories of the output directory that synth owns and replaces on every run. */
export const OWNED_DIRS = ['tenants', 'platform'] as const;

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
  const files = new Map<string, string>();
  const kinds: Record<string, number> = {};
  let objectCount = 0;
  const count = (objects: readonly Manifest[]) => {
    for (const o of objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
    objectCount += objects.length;
  };
  if (input.platform && input.platform.length > 0) {
    count(input.platform);
    files.set('platform/platform.yaml', toYaml(input.platform));
  }
  for (const spec of input.tenants) {
    const objects = tenantManifests(spec, settings);
    count(objects);
    files.set(`tenants/${spec.name}.yaml`, toYaml(objects));
  }
  return { files, kinds, objectCount, tenantCount: input.tenants.length };
}

/**
 * Writes a synth result under `outDir`, replacing the directories synth owns (so a tenant removed
 * from the list disappears from the output). Files are written to a staging directory first and
 * moved into place, so a failure leaves the previous output intact.
 */
export function writeSynthResult(outDir: string, result: SynthResult): void {
  mkdirSync(outDir, { recursive: true });
  const staging = join(outDir, `.tenantscale-staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const dir of OWNED_DIRS) mkdirSync(join(staging, dir), { recursive: true });
    for (const [path, content] of result.files) writeFileSync(join(staging, path), content);
    for (const dir of OWNED_DIRS) {
      const target = join(outDir, dir);
      rmSync(target, { recursive: true, force: true });
      if (existsSync(join(staging, dir))) renameSync(join(staging, dir), target);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export interface SynthOptions {
  readonly tenants: string;
  readonly out: string;
  readonly quiet?: boolean;
}

/** `tenantscale synth`: validate, synthesize, write, summarize. Returns the exit code. */
export function runSynth(options: SynthOptions, out: Output = createOutput(options)): number {
  let tenants: TenantSpec[];
  try {
    tenants = loadTenants(options.tenants);
  } catch (err) {
    if (err instanceof TenantListError) {
      reportProblems(err, out);
      return EXIT.FAILED;
    }
    throw err;
  }
  const result = synthesize({ tenants });
  writeSynthResult(options.out, result);
  const c = out.color;
  const where = relative(process.cwd(), options.out) || '.';
  out.info(
    `${c.green('✓')} synthesized ${c.bold(String(result.tenantCount))} tenant${result.tenantCount === 1 ? '' : 's'}, ` +
      `${result.objectCount} objects → ${where}/`,
  );
  const kinds = Object.entries(result.kinds).sort(([a], [b]) => a.localeCompare(b));
  out.info(kinds.map(([kind, n]) => `  ${kind.padEnd(24)}${String(n).padStart(6)}`).join('\n'));
  const names = tenants.map((t) => t.name);
  const shown = names.slice(0, 10).map((n) => `${where}/tenants/${n}.yaml`);
  out.info(`  files: ${shown.join(', ')}${names.length > 10 ? `, … (${names.length} in all)` : ''}`);
  if (result.files.has('platform/platform.yaml')) out.info(`         ${where}/platform/platform.yaml`);
  return EXIT.OK;
}

/** Prints every problem of a tenant list, one per line, and says nothing was written. */
export function reportProblems(err: TenantListError, out: Output): void {
  const c = out.color;
  out.error(c.red(`✗ ${err.file}: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}; nothing was written`));
  for (const p of err.problems) {
    const who = p.tenant === 'file' || p.tenant === 'defaults' ? p.tenant : `tenant "${p.tenant}"`;
    const value = p.value === undefined ? '' : ` = ${JSON.stringify(p.value)}`;
    out.error(`  ${c.bold(who)}${p.field ? ` ${c.cyan(p.field)}` : ''}${value}: ${p.message}`);
    out.error(`      allowed: ${p.allowed}`);
    out.error(`      fix:     ${p.fix}`);
  }
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('validate the tenant list and write one YAML file per tenant (and the platform objects)')
    .option('-t, --tenants <file>', 'tenant list', 'tenants/tenants.yaml')
    .option('-o, --out <dir>', 'output directory', 'dist')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText('after', '\nExit codes: 0 written; 1 the tenant list has problems (nothing written).')
    .action((opts: SynthOptions) => {
      process.exitCode = runSynth(opts);
    });
}

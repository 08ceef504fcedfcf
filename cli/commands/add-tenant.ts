/**
 * `tenantscale add-tenant NAME --host HOST`: appends a tenant to the list without touching the
 * rest of the file. The entry is inserted as text after the last tenant, so every comment,
 * blank line and flow-style `{ cpu: 100m }` of the file stays byte for byte; the whole resulting
 * list is validated before anything is written.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { Problem, TenantListError } from '../../tenants/problem';
import { TenantSpec } from '../../tenants/schema';
import { parseTenantsYaml, readTenantsFile } from '../../tenants/read';
import { overlapProblem, wildcardOverlaps } from '../../tenants/rules/hosts';
import { validateTenantsText } from '../../tenants/validate';
import { createOutput, EXIT, Output } from '../output';
import { reportProblems } from './synth';

export interface NewTenant {
  readonly name: string;
  readonly hosts: readonly string[];
  /** @default the `defaults.image` of the file */
  readonly image?: string;
  /**
   * false writes `tls: false` (plain HTTP; needed for a wildcard host).
   * @default the file's `defaults.tls`, else true
   */
  readonly tls?: boolean;
}

export type AddTenantResult =
  | { readonly ok: true; readonly text: string; readonly tenant: TenantSpec }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Refusals for a name or host another tenant already uses, naming that tenant. */
export function conflicts(doc: unknown, tenant: NewTenant): Problem[] {
  const entries = (doc as { tenants?: unknown } | null)?.tenants;
  const list = Array.isArray(entries) ? (entries as { name?: unknown; hosts?: unknown }[]) : [];
  const problems: Problem[] = [];
  list.forEach((entry, i) => {
    if (entry?.name === tenant.name) {
      problems.push({
        tenant: tenant.name,
        field: 'name',
        value: tenant.name,
        message: `the name is already used by tenant entry #${i + 1} ("${tenant.name}"); it would write the same namespace tenant-${tenant.name}`,
        allowed: 'a name no other tenant uses',
        fix: `choose another name, or edit the existing "${tenant.name}" entry instead`,
      });
    }
  });
  const owners = new Map<string, string>();
  list.forEach((entry, i) => {
    const owner = typeof entry?.name === 'string' ? entry.name : `#${i + 1}`;
    if (Array.isArray(entry?.hosts)) for (const h of entry.hosts) if (typeof h === 'string' && !owners.has(h.toLowerCase())) owners.set(h.toLowerCase(), owner);
  });
  for (const host of tenant.hosts) {
    const owner = owners.get(host.toLowerCase());
    if (owner !== undefined) {
      problems.push({
        tenant: tenant.name,
        field: 'hosts',
        value: host,
        message: `host already routed to tenant "${owner}"`,
        allowed: 'a host no other tenant claims',
        fix: `use another host, or remove ${host} from "${owner}" first`,
      });
    }
  }
  // A wildcard of the new tenant over an existing host, or an existing wildcard over a new host.
  const existing = list.map((entry, i) => ({
    tenant: typeof entry?.name === 'string' ? entry.name : `#${i + 1}`,
    hosts: Array.isArray(entry?.hosts) ? entry.hosts.filter((h): h is string => typeof h === 'string') : [],
  }));
  const overlaps = wildcardOverlaps([...existing, { tenant: tenant.name, hosts: tenant.hosts }]).filter((o) => o.tenant === tenant.name || o.other === tenant.name);
  for (const o of overlaps) {
    const p = overlapProblem(o);
    problems.push(o.tenant === tenant.name ? p : { ...p, tenant: tenant.name, value: o.host, fix: `use a host outside ${o.wildcard.slice(2)}, or narrow the wildcard of "${o.tenant}" first` });
  }
  return problems;
}

function fileProblem(message: string, fix: string): Problem {
  return { tenant: 'file', field: '', message, allowed: 'a YAML mapping with a `tenants` list', fix };
}

/** The text of one new sequence item, indented to sit under `indent` (the column of `-`). */
/** The fields the new entry is written with. */
function entryFields(tenant: NewTenant): Record<string, unknown> {
  return { name: tenant.name, hosts: [...tenant.hosts], ...(tenant.image === undefined ? {} : { image: tenant.image }), ...(tenant.tls === false ? { tls: false } : {}) };
}

function entryText(tenant: NewTenant, indent: string, style: { flowHosts: boolean; padding: boolean; newline: string }): string {
  const doc = new Document(entryFields(tenant));
  const hosts = (doc.contents as YAMLMap).get('hosts', true);
  if (isSeq(hosts)) hosts.flow = style.flowHosts;
  const body = doc.toString({ lineWidth: 0, flowCollectionPadding: style.padding }).trimEnd().split('\n');
  return body.map((line, i) => (i === 0 ? `${indent}- ${line}` : `${indent}  ${line}`)).join(style.newline) + style.newline;
}

/**
 * Appends `tenant` to the tenants file text. Pure: returns the new text, or every problem (a name
 * or host in use, an invalid value, or an invalid list as a whole) and no text.
 */
export function addTenantToText(text: string, tenant: NewTenant): AddTenantResult {
  // The file is untrusted: read it within the limits (size, depth, aliases) before anything else.
  const read = parseTenantsYaml(text);
  if ('problem' in read) return { ok: false, problems: [read.problem] };
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, problems: [fileProblem(`the tenants file is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, 'fix the YAML syntax at that position')] };
  }
  const inUse = conflicts(read.data, tenant);
  if (inUse.length > 0) return { ok: false, problems: inUse };
  if (!isMap(doc.contents)) return { ok: false, problems: [fileProblem('the tenants file is not a mapping', 'start the file with `tenants:`')] };

  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const seq = doc.get('tenants', true);
  if (seq !== undefined && !isSeq(seq) && !(isScalar(seq) && (seq.value === null || seq.value === undefined))) {
    return { ok: false, problems: [fileProblem('`tenants` is not a list', 'write `tenants:` followed by "- name: …" entries')] };
  }
  // A block list with entries: splice the new entry in after the last one, keeping the file as
  // written. Otherwise (`tenants:` absent, empty, `[]` or flow style) there is no list layout to
  // keep, and the Document API writes it.
  const spliced = isSeq(seq) && !seq.flow ? spliceAfterLast(text, seq, tenant, newline) : undefined;
  const next = spliced?.text ?? appendWithDocumentApi(doc, tenant);

  const result = validateTenantsText(next);
  if (result.problems.length > 0) return { ok: false, problems: result.problems.map((p) => positionInFile(p, next, spliced)) };
  const added = result.tenants.find((t) => t.name === tenant.name);
  if (added === undefined) return { ok: false, problems: [fileProblem('the new entry did not land in the tenants list', 'add the entry by hand')] };
  return { ok: true, text: next, tenant: added };
}

/** A spliced text: the entry's text went in at offset `at` of the result. */
interface Spliced {
  readonly text: string;
  readonly at: number;
  readonly inserted: string;
}

const newlinesIn = (s: string) => s.split('\n').length - 1;

/**
 * A problem of the validated result, positioned in the file on disk (which add-tenant did not
 * change when it refuses): a line of the new entry exists only in the text never written, so such
 * a problem names tenant and field without a line; a line after the insertion moves back by the
 * entry's lines. A file rewritten by the Document API (flow-style or empty list) keeps no line of
 * the original layout, so no position is given.
 */
function positionInFile(p: Problem, next: string, spliced: Spliced | undefined): Problem {
  if (p.line === undefined) return p;
  const { line: _line, column: _column, ...rest } = p;
  if (spliced === undefined) return rest;
  const first = newlinesIn(next.slice(0, spliced.at)) + 1;
  const count = newlinesIn(spliced.inserted);
  if (p.line < first) return p;
  if (p.line < first + count) return rest;
  return { ...p, line: p.line - count };
}

/** The text with the entry inserted after the last item of the block list `seq`, or undefined. */
function spliceAfterLast(text: string, seq: YAMLSeq, tenant: NewTenant, newline: string): Spliced | undefined {
  const items = seq.items.filter((i): i is YAMLMap => isMap(i) && i.range !== undefined && i.range !== null);
  if (items.length === 0 || items.length !== seq.items.length) return undefined;
  const last = items[items.length - 1];
  const [start, valueEnd] = last.range as [number, number, number];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const dash = /^( *)- +$/.exec(text.slice(lineStart, start));
  if (!dash) return undefined;
  const hostsNodes = items.map((i): unknown => i.get('hosts', true)).filter((h): h is YAMLSeq => isSeq(h));
  const hosts = hostsNodes[hostsNodes.length - 1];
  const flowHosts = hosts === undefined ? true : Boolean(hosts.flow);
  const padding = hosts !== undefined && hosts.flow === true && hosts.range ? text[hosts.range[0] + 1] === ' ' : false;
  const spaced = items.slice(1).some((i) => i.spaceBefore === true);
  let head = text;
  let at = text[valueEnd - 1] === '\n' ? valueEnd : text.indexOf('\n', valueEnd) + 1;
  if (at === 0) {
    head = `${text}${newline}`;
    at = head.length;
  }
  const inserted = (spaced ? newline : '') + entryText(tenant, dash[1], { flowHosts, padding, newline });
  return { text: head.slice(0, at) + inserted + head.slice(at), at, inserted };
}

function appendWithDocumentApi(doc: Document, tenant: NewTenant): string {
  const entry = doc.createNode(entryFields(tenant));
  const hosts = entry.get('hosts', true);
  if (isSeq(hosts)) hosts.flow = true;
  const seq = doc.get('tenants', true);
  if (isSeq(seq)) {
    seq.flow = false;
    seq.items.push(entry);
  } else doc.set('tenants', doc.createNode([entry]));
  return doc.toString({ lineWidth: 0 });
}

export interface AddTenantOptions {
  readonly host: string[];
  /** @default the file's defaults.image */
  readonly image?: string;
  /** @default 'tenants/tenants.yaml' */
  readonly tenants?: string;
  /**
   * commander's `--no-tls`: false writes `tls: false`.
   * @default true
   */
  readonly tls?: boolean;
  /** @default false */
  readonly dryRun?: boolean;
  /** @default false */
  readonly quiet?: boolean;
}

/** `tenantscale add-tenant`: returns the exit code; writes nothing unless the whole list is valid. */
export function runAddTenant(name: string, options: AddTenantOptions, out: Output = createOutput(options)): number {
  const file = options.tenants ?? 'tenants/tenants.yaml';
  const read = readTenantsFile(file);
  if ('problem' in read) {
    reportProblems(new TenantListError(file, [read.problem]), out);
    return EXIT.FAILED;
  }
  const text = read.text;
  const tenant: NewTenant = { name, hosts: options.host, ...(options.image === undefined ? {} : { image: options.image }), ...(options.tls === false ? { tls: false } : {}) };
  const result = addTenantToText(text, tenant);
  if (!result.ok) {
    reportProblems(new TenantListError(file, result.problems), out);
    return EXIT.FAILED;
  }
  const c = out.color;
  if (options.dryRun ?? false) {
    out.info(result.text.replace(/\r?\n$/, ''));
    return EXIT.OK;
  }
  const staging = `${file}.tenantscale-${process.pid}.tmp`;
  writeFileSync(staging, result.text);
  renameSync(staging, file);
  out.info(
    `${c.green('✓')} added tenant ${c.bold(name)} to ${file}: namespace tenant-${name}, hosts ${result.tenant.hosts.join(', ')}, image ${result.tenant.image}, ` +
      `${result.tenant.scaling.min}-${result.tenant.scaling.max} replicas`,
  );
  out.info('  next: tenantscale plan (preview), then open a pull request');
  return EXIT.OK;
}

export function register(program: Command): void {
  program
    .command('add-tenant')
    .description('append a validated tenant to the tenant list, keeping the file\'s comments and formatting')
    .argument('<name>', 'tenant name (a DNS label; the namespace is tenant-<name>)')
    .requiredOption('--host <host>', 'hostname routed to the tenant (repeat for several)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--image <image>', 'container image, pinned by tag or digest (default: the file\'s defaults.image)')
    .option('--no-tls', 'serve the tenant over plain HTTP (writes tls: false; needed for a wildcard host)')
    .option('-t, --tenants <file>', 'tenant list', 'tenants/tenants.yaml')
    .option('--dry-run', 'print the resulting file instead of writing it')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      '\nRefuses a name or host another tenant uses, and validates the whole resulting list; on any problem nothing is written.\n\n' +
        'Exit codes: 0 added (or printed with --dry-run); 1 refused (name or host in use, invalid value or list).\n\n' +
        'Example:\n  tenantscale add-tenant carol --host carol.tenants.example.com --image ghcr.io/acme/app:1.4.2',
    )
    .action((name: string, opts: AddTenantOptions) => {
      process.exitCode = runAddTenant(name, opts);
    });
}

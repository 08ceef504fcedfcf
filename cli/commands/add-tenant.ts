/**
 * `tenantscale add-tenant NAME --host HOST`: appends a tenant to the list without touching the
 * rest of the file. The entry is inserted as text after the last tenant, so every comment,
 * blank line and flow-style `{ cpu: 100m }` of the file stays byte for byte; the whole resulting
 * list is validated before anything is written.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { Document, isMap, isScalar, isSeq, parseDocument, visit, YAMLMap, YAMLSeq } from 'yaml';
import { boundedList, Problem, TenantListError } from '../../tenants/problem';
import { TenantSpec } from '../../tenants/schema';
import { CONSUMERS_MAX } from '../../tenants/kinds';
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
  /**
   * Copy the fields of this existing tenant (all but name, hosts and domains), e.g. to clone the
   * example tenant for a load test. A clone that `uses` a shared service is added to that
   * service's `consumers` in the same edit, so the list validates (the service's NetworkPolicy
   * admits the clone); `withoutUses` drops `uses` instead.
   * @default undefined (a tenant with name, hosts and the file's defaults only)
   */
  readonly like?: string;
  /**
   * With `like`: write `uses: []` instead of copying the template's `uses` (no consumers edited).
   * @default false
   */
  readonly withoutUses?: boolean;
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
/** Fields a clone never copies from its template: they name the template itself. */
const OWN_FIELDS = new Set(['name', 'hosts', 'domains']);

/** The fields the new entry is written with (with `like`, the template's fields after name and hosts). */
function entryFields(tenant: NewTenant, template?: Record<string, unknown>): Record<string, unknown> {
  const copied = Object.fromEntries(Object.entries(template ?? {}).filter(([k]) => !OWN_FIELDS.has(k) && !(tenant.withoutUses && k === 'uses')));
  return {
    name: tenant.name,
    hosts: [...tenant.hosts],
    ...copied,
    ...(tenant.withoutUses && template ? { uses: [] } : {}),
    ...(tenant.image === undefined ? {} : { image: tenant.image }),
    ...(tenant.tls === false ? { tls: false } : {}),
  };
}

/** The entry named `name` in the parsed file, as written. */
function entryNamed(data: unknown, name: string): Record<string, unknown> | undefined {
  const entries = (data as { tenants?: unknown } | null)?.tenants;
  const found = Array.isArray(entries) ? entries.find((e) => (e as { name?: unknown } | null)?.name === name) : undefined;
  return found !== null && typeof found === 'object' && !Array.isArray(found) ? (found as Record<string, unknown>) : undefined;
}

/**
 * The text with the `added` tenants in the `consumers` of each service in `services`, editing only
 * those lists (a flow list gets `, name` before its `]`, a block list a new `- name` line, a
 * service without `consumers` a `consumers: [name]` line). A name that is no block-mapping entry
 * in the list is left alone: validation then refuses the clone's `uses`, naming it.
 */
export function withConsumers(text: string, services: readonly string[], added: readonly string[], newline: string): string {
  const doc = parseDocument(text, { uniqueKeys: true });
  const seq = doc.get('tenants', true);
  if (!isSeq(seq)) return text;
  const edits: { at: number; insert: string }[] = [];
  for (const service of new Set(services)) {
    const entry = seq.items.find((i): i is YAMLMap => isMap(i) && i.get('name') === service);
    if (!entry || entry.flow || !entry.range) continue;
    const consumers = entry.get('consumers', true);
    const listed = new Set(isSeq(consumers) ? consumers.items.map((c) => (isScalar(c) ? c.value : undefined)) : []);
    const missing = added.filter((a) => !listed.has(a));
    if (missing.length === 0) continue;
    const consumer = missing.join(', ');
    if (isSeq(consumers) && consumers.range && consumers.flow) {
      const close = text.lastIndexOf(']', consumers.range[1]);
      edits.push({ at: close, insert: consumers.items.length === 0 ? consumer : `, ${consumer}` });
    } else if (isSeq(consumers) && consumers.range && consumers.items.length > 0) {
      const last = consumers.items[consumers.items.length - 1] as { range?: [number, number, number] };
      const lineStart = text.lastIndexOf('\n', consumers.range[0]) + 1;
      const indent = /^ */.exec(text.slice(lineStart))![0];
      const end = text.indexOf('\n', last.range![1] - 1);
      edits.push({ at: end < 0 ? text.length : end + 1, insert: `${end < 0 ? newline : ''}${missing.map((m) => `${indent}- ${m}${newline}`).join('')}` });
    } else if (consumers === undefined) {
      const first = entry.items[0]?.key as { range?: [number, number, number] } | undefined;
      if (!first?.range) continue;
      const column = first.range[0] - (text.lastIndexOf('\n', first.range[0] - 1) + 1);
      const end = text.indexOf('\n', entry.range[1] - 1);
      edits.push({ at: end < 0 ? text.length : end + 1, insert: `${end < 0 ? newline : ''}${' '.repeat(column)}consumers: [${consumer}]${newline}` });
    }
  }
  return edits.sort((a, b) => b.at - a.at).reduce((t, e) => t.slice(0, e.at) + e.insert + t.slice(e.at), text);
}

function entryText(tenant: NewTenant, indent: string, style: { flowHosts: boolean; padding: boolean; newline: string }, template?: Record<string, unknown>): string {
  const doc = new Document(entryFields(tenant, template));
  // Lists of scalars copied from a template (uses, days, command) in flow style, as the file writes them.
  visit(doc, { Seq: (_, node) => void (node.flow = node.items.every((i) => isScalar(i))) });
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
  const result = addTenantsToText(text, [tenant]);
  return result.ok ? { ok: true, text: result.text, tenant: result.tenants[0] } : result;
}

/**
 * Appends several tenants in one edit, validated once (clones for a load test: one pass instead
 * of one validation of a growing list per tenant). Pure, like `addTenantToText`.
 */
export function addTenantsToText(text: string, tenants: readonly NewTenant[]): { readonly ok: true; readonly text: string; readonly tenants: TenantSpec[] } | { readonly ok: false; readonly problems: readonly Problem[] } {
  // The file is untrusted: read it within the limits (size, depth, aliases) before anything else.
  const read = parseTenantsYaml(text);
  if ('problem' in read) return { ok: false, problems: [read.problem] };
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, problems: [fileProblem(`the tenants file is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, 'fix the YAML syntax at that position')] };
  }
  // Conflicts with the list as it is (names and hosts among the new tenants: validation, below).
  const inUse = tenants.length === 1 ? conflicts(read.data, tenants[0]) : [];
  if (inUse.length > 0) return { ok: false, problems: inUse };
  if (!isMap(doc.contents)) return { ok: false, problems: [fileProblem('the tenants file is not a mapping', 'start the file with `tenants:`')] };

  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const added: { tenant: NewTenant; template?: Record<string, unknown> }[] = [];
  const consumersOf = new Map<string, string[]>();
  for (const tenant of tenants) {
    const template = tenant.like === undefined ? undefined : entryNamed(read.data, tenant.like);
    if (tenant.like !== undefined && template === undefined) {
      return { ok: false, problems: [{ tenant: tenant.name, field: 'like', value: tenant.like, message: `no tenant "${tenant.like}" in the list to copy`, allowed: 'the name of a tenant in the list', fix: 'name an existing tenant, or drop --like' }] };
    }
    added.push({ tenant, template });
    if (template === undefined || tenant.withoutUses) continue;
    // The clone calls what its template calls: each used service admits it (consumers), else its
    // NetworkPolicy would drop the calls and validation refuses the clone.
    const uses = template.uses ?? (read.data as { defaults?: { uses?: unknown } } | null)?.defaults?.uses;
    for (const service of Array.isArray(uses) ? uses : []) if (typeof service === 'string') (consumersOf.get(service) ?? consumersOf.set(service, []).get(service)!).push(tenant.name);
  }
  for (const [service, names] of consumersOf) {
    const listed = (entryNamed(read.data, service) as { consumers?: unknown } | undefined)?.consumers;
    const total = (Array.isArray(listed) ? listed.length : 0) + names.length;
    if (total > CONSUMERS_MAX) {
      return { ok: false, problems: [{ tenant: service, field: 'consumers', value: `${total} tenants`, message: `adding ${names.length} tenants that use ${service} would list ${total} consumers`, allowed: `at most ${CONSUMERS_MAX.toLocaleString('en-US')} consumers per service`, fix: 'add the clones with --no-uses (they then call no shared service), or fewer of them' }] };
    }
  }
  let edited = text;
  for (const [service, names] of consumersOf) edited = withConsumers(edited, [service], names, newline);
  const editedDoc = edited === text ? doc : parseDocument(edited, { uniqueKeys: true });
  const seq = editedDoc.get('tenants', true);
  if (seq !== undefined && !isSeq(seq) && !(isScalar(seq) && (seq.value === null || seq.value === undefined))) {
    return { ok: false, problems: [fileProblem('`tenants` is not a list', 'write `tenants:` followed by "- name: …" entries')] };
  }
  // A block list with entries: splice the new entries in after the last one, keeping the file as
  // written. Otherwise (`tenants:` absent, empty, `[]` or flow style) there is no list layout to
  // keep, and the Document API writes it.
  const spliced = isSeq(seq) && !seq.flow ? spliceAfterLast(edited, seq, added, newline) : undefined;
  const next = spliced?.text ?? appendWithDocumentApi(editedDoc, added);

  const result = validateTenantsText(next);
  // Positions name lines of the file on disk, which a refusal leaves as it was; a consumers edit
  // (edited !== text) moves lines in ways the splice alone does not record, so none is given then.
  if (result.problems.length > 0) return { ok: false, problems: result.problems.map((p) => positionInFile(p, next, edited === text ? spliced : undefined)) };
  const byName = new Map(result.tenants.map((t) => [t.name, t]));
  const specs = tenants.map((t) => byName.get(t.name));
  if (specs.some((t) => t === undefined)) return { ok: false, problems: [fileProblem('the new entry did not land in the tenants list', 'add the entry by hand')] };
  return { ok: true, text: next, tenants: specs as TenantSpec[] };
}

type NewEntry = { readonly tenant: NewTenant; readonly template?: Record<string, unknown> };

/** A spliced text: the entries' text went in at offset `at` of the result. */
interface Spliced {
  readonly text: string;
  readonly at: number;
  readonly inserted: string;
}

const newlinesIn = (s: string) => s.split('\n').length - 1;

/**
 * A problem of the validated result, positioned in the file on disk (which add-tenant did not
 * change when it refuses): a line of a new entry exists only in the text never written, so such
 * a problem names tenant and field without a line; a line after the insertion moves back by the
 * entries' lines. A file rewritten by the Document API (flow-style or empty list) keeps no line of
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

/** The text with the entries inserted after the last item of the block list `seq`, or undefined. */
function spliceAfterLast(text: string, seq: YAMLSeq, entries: readonly NewEntry[], newline: string): Spliced | undefined {
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
  const inserted = entries.map((e) => (spaced ? newline : '') + entryText(e.tenant, dash[1], { flowHosts, padding, newline }, e.template)).join('');
  return { text: head.slice(0, at) + inserted + head.slice(at), at, inserted };
}

function appendWithDocumentApi(doc: Document, entries: readonly NewEntry[]): string {
  for (const e of entries) {
    const entry = doc.createNode(entryFields(e.tenant, e.template));
    const hosts = entry.get('hosts', true);
    if (isSeq(hosts)) hosts.flow = true;
    const seq = doc.get('tenants', true);
    if (isSeq(seq)) {
      seq.flow = false;
      seq.items.push(entry);
    } else doc.set('tenants', doc.createNode([entry]));
  }
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
  /** @default none (see NewTenant.like) */
  readonly like?: string;
  /**
   * commander's `--no-uses`: false drops the template's `uses`.
   * @default true
   */
  readonly uses?: boolean;
  /**
   * Add this many tenants NAME-1 … NAME-N in one edit (a load test's clones, with `like`); each
   * `--host` must contain `{name}`, replaced by the tenant's name.
   * @default 1 (one tenant, NAME)
   */
  readonly count?: number;
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
  const count = options.count ?? 1;
  if (count > 1 && !options.host.every((h) => h.includes('{name}'))) {
    reportProblems(new TenantListError(file, [{ tenant: name, field: 'hosts', value: options.host.join(', '), message: `--count ${count} would give every tenant the same host`, allowed: 'hosts containing {name}, replaced by each tenant\'s name', fix: `write e.g. --host '{name}.tenants.example.com'` }]), out);
    return EXIT.FAILED;
  }
  const names = count === 1 ? [name] : Array.from({ length: count }, (_, i) => `${name}-${i + 1}`);
  const tenants: NewTenant[] = names.map((n) => ({
    name: n,
    hosts: options.host.map((h) => h.replaceAll('{name}', n)),
    ...(options.image === undefined ? {} : { image: options.image }),
    ...(options.tls === false ? { tls: false } : {}),
    ...(options.like === undefined ? {} : { like: options.like, withoutUses: options.uses === false }),
  }));
  const result = addTenantsToText(text, tenants);
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
  const [first] = result.tenants;
  out.info(
    count === 1
      ? `${c.green('✓')} added tenant ${c.bold(name)} to ${file}: namespace tenant-${name}, hosts ${first.hosts.join(', ')}, image ${first.image}, ${first.scaling.min}-${first.scaling.max} replicas`
      : `${c.green('✓')} added ${count} tenants to ${file}: ${boundedList(names, 3)}; image ${first.image}, ${first.scaling.min}-${first.scaling.max} replicas each`,
  );
  out.info('  next: tenantscale plan (preview), then open a pull request');
  return EXIT.OK;
}

/** Parses `--count`: a whole number from 1 to 10,000. */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('expected a whole number from 1 to 10000');
  return n;
}

export function register(program: Command): void {
  program
    .command('add-tenant')
    .description('append a validated tenant to the tenant list, keeping the file\'s comments and formatting')
    .argument('<name>', 'tenant name (a DNS label; the namespace is tenant-<name>)')
    .requiredOption('--host <host>', 'hostname routed to the tenant (repeat for several)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--image <image>', 'container image, pinned by tag or digest (default: the file\'s defaults.image)')
    .option('--like <tenant>', 'copy the fields of this tenant (all but name, hosts, domains); a copy that uses a shared service is added to its consumers')
    .option('--no-uses', 'with --like: do not copy `uses` (writes uses: []), e.g. for load-test clones beyond a service\'s 1,000 consumers')
    .option('--count <n>', 'add N tenants NAME-1 … NAME-N in one edit (load-test clones with --like); --host must contain {name}', parseCount)
    .option('--no-tls', 'serve the tenant over plain HTTP (writes tls: false; needed for a wildcard host)')
    .option('-t, --tenants <file>', 'tenant list', 'tenants/tenants.yaml')
    .option('--dry-run', 'print the resulting file instead of writing it')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      '\nRefuses a name or host another tenant uses, and validates the whole resulting list; on any problem nothing is written.\n\n' +
        'Exit codes: 0 added (or printed with --dry-run); 1 refused (name or host in use, invalid value or list).\n\n' +
        'Examples:\n  tenantscale add-tenant carol --host carol.tenants.example.com --image ghcr.io/acme/app:1.4.2\n' +
        '  tenantscale add-tenant ahmed-2 --like ahmed --host ahmed-2.tenants.example.com   (also adds ahmed-2 to embeddings.consumers)',
    )
    .action((name: string, opts: AddTenantOptions) => {
      process.exitCode = runAddTenant(name, opts);
    });
}

/**
 * The offline plan: what changing the tenant list from one version to another does to the
 * cluster. Pure: two lists of resolved tenants in, a deterministic `Plan` out. Only tenants whose
 * resolved spec changed are synthesized on both sides (synthesis is a pure function of the spec,
 * so an identical spec yields identical objects); a 1,000-tenant list with a few edits costs a
 * few syntheses. The policy rules see the objects of the added and changed tenants (or, on
 * request, the whole new state).
 */
import { Manifest, tenantManifests } from '../../constructs/manifests';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../../constructs/platform-settings';
import { DEFAULT_STORAGE_CLASS, NAMESPACE_PREFIX, TenantSpec } from '../../tenants/schema';
import { claimName } from '../../constructs/tenant-volumes';
import { tenantKind } from '../../tenants/kind-rules';
import { describeRef, diffObjects, diffValues, FieldChange, ObjectChange, objectRef } from './diff';
import { httpScaledObjectMigrations, migrationMessage } from './migration';
import { canonicalJson, compareStrings, renderValue } from './values';

/** A policy finding, as policies/engine.ts `runRules` reports it. */
export interface PolicyViolation {
  readonly rule: string;
  readonly level: 'mandatory' | 'advisory';
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly message: string;
  readonly fix: string;
}

/** Evaluates the policy rules over every object of a state. */
export type PolicyRunner = (objects: Manifest[]) => readonly PolicyViolation[];

export type PolicyScope = 'touched' | 'all';

export interface PlanOptions {
  /** @default DEFAULT_PLATFORM_SETTINGS */
  readonly settings?: PlatformSettings;
  /**
   * The policy rules run over the whole new state. Without it the plan says the policy was not
   * evaluated.
   * @default undefined
   */
  readonly policy?: PolicyRunner;
  /**
   * Which objects of the new state the policy rules see: `touched`, the objects of every added or
   * changed tenant (an unchanged tenant has byte-identical objects, so its results are those of
   * the base), or `all`, every tenant's objects (exact for rules spanning tenants, but the
   * whole list is synthesized and rule cost grows with it).
   * @default 'touched'
   */
  readonly policyScope?: PolicyScope;
  /**
   * Why the policy was not evaluated, shown when `policy` is undefined.
   * @default 'no policy engine configured'
   */
  readonly policyUnavailable?: string;
}

export type TenantStatus = 'added' | 'removed' | 'changed';

export interface TenantPlan {
  readonly name: string;
  readonly status: TenantStatus;
  /** Changes of the resolved tenant spec (defaults merged), e.g. `scaling.max: 5 → 3`. */
  readonly spec: readonly FieldChange[];
  /** Object changes: all creates (added), all deletes (removed), the differing objects (changed). */
  readonly objects: readonly ObjectChange[];
}

export type WarningCode =
  | 'tenant-removed'
  | 'tenant-renamed'
  | 'object-deleted'
  | 'object-renamed'
  | 'object-replaced'
  | 'capacity-reduced'
  | 'scale-to-zero-enabled'
  | 'host-removed'
  | 'host-moved'
  | 'scaler-migrated'
  | 'volume-removed';

export interface PlanWarning {
  /** `destructive` deletes or replaces resources (exit code 2); `caution` is safe to apply but worth a look. */
  readonly severity: 'destructive' | 'caution';
  readonly code: WarningCode;
  readonly tenant: string;
  readonly message: string;
  readonly fix: string;
}

export interface PlanViolation extends PolicyViolation {
  /** The tenant owning the object, when it is a tenant object. */
  readonly tenant?: string;
  /** True when the tenant is added or changed by this change (the finding is new or still there). */
  readonly touched: boolean;
}

export interface PolicyResult {
  readonly evaluated: boolean;
  /** The objects evaluated: those of added and changed tenants, or all. */
  readonly scope: PolicyScope;
  /** Why not, when not evaluated. */
  readonly reason?: string;
  readonly objects: number;
  readonly mandatory: number;
  readonly advisory: number;
  /** Mandatory first, then by tenant, kind, namespace, name, rule. */
  readonly violations: readonly PlanViolation[];
}

export interface PlanSummary {
  readonly baseTenants: number;
  readonly headTenants: number;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly objects: { readonly create: number; readonly update: number; readonly replace: number; readonly delete: number };
}

export interface Plan {
  readonly summary: PlanSummary;
  /** Added, then removed, then changed tenants, each group by name. */
  readonly tenants: readonly TenantPlan[];
  /** Destructive first, then by tenant and code. */
  readonly warnings: readonly PlanWarning[];
  readonly policy: PolicyResult;
  /** True when any warning is destructive. */
  readonly destructive: boolean;
}

/** Compares two versions of the resolved tenant list. */
export function computePlan(base: readonly TenantSpec[], head: readonly TenantSpec[], options: PlanOptions = {}): Plan {
  const settings = options.settings ?? DEFAULT_PLATFORM_SETTINGS;
  const oldByName = new Map(base.map((t) => [t.name, t]));
  const newByName = new Map(head.map((t) => [t.name, t]));
  const headCache = new Map<string, Manifest[]>();
  const synthHead = (t: TenantSpec): Manifest[] => {
    let objects = headCache.get(t.name);
    if (objects === undefined) {
      objects = tenantManifests(t, settings);
      headCache.set(t.name, objects);
    }
    return objects;
  };

  const byName = (a: TenantSpec, b: TenantSpec) => compareStrings(a.name, b.name);
  const added = head.filter((t) => !oldByName.has(t.name)).sort(byName);
  const removed = base.filter((t) => !newByName.has(t.name)).sort(byName);
  const changed: [TenantSpec, TenantSpec][] = [];
  for (const t of [...head].sort(byName)) {
    const previous = oldByName.get(t.name);
    if (previous !== undefined && canonicalJson(previous) !== canonicalJson(t)) changed.push([previous, t]);
  }

  const tenants: TenantPlan[] = [];
  const removedObjects = new Map<string, Manifest[]>();
  for (const t of added) {
    const objects = diffObjects([], synthHead(t));
    tenants.push({ name: t.name, status: 'added', spec: [], objects });
  }
  for (const t of removed) {
    const objects = tenantManifests(t, settings);
    removedObjects.set(t.name, objects);
    tenants.push({ name: t.name, status: 'removed', spec: [], objects: diffObjects(objects, []) });
  }
  for (const [before, after] of changed) {
    tenants.push({
      name: after.name,
      status: 'changed',
      spec: diffValues(before, after),
      objects: diffObjects(tenantManifests(before, settings), synthHead(after)),
    });
  }

  const warnings = [
    ...removalWarnings(removed, added, removedObjects),
    ...tenants.filter((t) => t.status === 'changed').flatMap(objectWarnings),
    ...changed.flatMap(([before, after]) => specWarnings(before, after)),
    ...hostWarnings(base, head),
  ].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'destructive' ? -1 : 1) ||
      compareStrings(a.tenant, b.tenant) ||
      compareStrings(a.code, b.code) ||
      compareStrings(a.message, b.message),
  );

  const scope = options.policyScope ?? 'touched';
  const touched = new Set([...added, ...changed.map(([, t]) => t)].map((t) => t.name));
  const policy: PolicyResult = options.policy
    ? evaluatePolicy(scope === 'all' ? head : head.filter((t) => touched.has(t.name)), synthHead, options.policy, touched, scope)
    : { evaluated: false, scope, reason: options.policyUnavailable ?? 'no policy engine configured', objects: 0, mandatory: 0, advisory: 0, violations: [] };

  const count = (action: ObjectChange['action']) => tenants.reduce((n, t) => n + t.objects.filter((o) => o.action === action).length, 0);
  return {
    summary: {
      baseTenants: base.length,
      headTenants: head.length,
      added: added.length,
      removed: removed.length,
      changed: changed.length,
      unchanged: head.length - added.length - changed.length,
      objects: { create: count('create'), update: count('update'), replace: count('replace'), delete: count('delete') },
    },
    tenants,
    warnings,
    policy,
    destructive: warnings.some((w) => w.severity === 'destructive'),
  };
}

/**
 * True when a removed and an added tenant look like one renamed: they share a host (the hostname is
 * what clients know; a spec equal to another is no evidence, since most tenants inherit
 * everything from `defaults`).
 */
export function looksRenamed(before: TenantSpec, after: TenantSpec): boolean {
  const hosts = new Set(before.hosts.map((h) => h.toLowerCase()));
  return after.hosts.some((h) => hosts.has(h.toLowerCase()));
}

function removalWarnings(removed: readonly TenantSpec[], added: readonly TenantSpec[], objects: Map<string, Manifest[]>): PlanWarning[] {
  const out: PlanWarning[] = [];
  for (const t of removed) {
    const namespace = `${NAMESPACE_PREFIX}${t.name}`;
    const outside = (objects.get(t.name) ?? [])
      .filter((o) => o.metadata.namespace !== undefined && o.metadata.namespace !== namespace)
      .map((o) => describeRef(objectRef(o)));
    const also = outside.length > 0 ? `; also ${outside.join(', ')}` : '';
    const secrets = [...new Set(Object.values(t.env).flatMap((v) => (typeof v === 'object' ? [v.secret] : [])))].sort(compareStrings);
    const lost =
      secrets.length > 0
        ? `including the Secret${secrets.length === 1 ? '' : 's'} ${secrets.join(', ')} it reads (its value is not in the tenant list), volumes and anything else created by hand`
        : 'including Secrets, volumes and anything else created by hand';
    const disks = t.volumes?.length ? `; its disk${t.volumes.length === 1 ? '' : 's'}: ${claimsLost(t, t.volumes)}` : '';
    const successor = added.find((a) => looksRenamed(t, a));
    if (successor) {
      out.push({
        severity: 'destructive',
        code: 'tenant-renamed',
        tenant: t.name,
        message:
          `tenant "${t.name}" looks renamed to "${successor.name}": objects are named after the tenant, so this deletes namespace ` +
          `${namespace} and everything in it, ${lost}${also}${disks}; and creates ${NAMESPACE_PREFIX}${successor.name} empty: nothing created by hand is carried over`,
        fix: `keep the name "${t.name}", or copy Secrets and data to ${NAMESPACE_PREFIX}${successor.name} before merging`,
      });
    } else {
      out.push({
        severity: 'destructive',
        code: 'tenant-removed',
        tenant: t.name,
        message: `removing tenant "${t.name}" deletes namespace ${namespace} and everything in it, ${lost}${also}${disks}`,
        fix: `if intended, back up the data and Secrets of ${namespace} first; otherwise restore the entry`,
      });
    }
  }
  return out;
}

/**
 * What deleting these claims of tenant `t` does to the data: with a StorageClass whose reclaim
 * policy is Delete (DigitalOcean's `do-block-storage`, the default) the CSI driver deletes the
 * DigitalOcean volume; with `do-block-storage-retain` the PersistentVolume and the volume stay
 * (Released, still billed) until deleted by hand.
 */
function claimsLost(t: TenantSpec, volumes: NonNullable<TenantSpec['volumes']>): string {
  const claims = volumes.map((v) => `PersistentVolumeClaim ${NAMESPACE_PREFIX}${t.name}/${claimName(t.name, v.name)} (${v.size}, ${v.storageClass ?? DEFAULT_STORAGE_CLASS})`);
  const retained = volumes.every((v) => /-retain$/.test(v.storageClass ?? DEFAULT_STORAGE_CLASS));
  return `${claims.join(', ')} ${claims.length === 1 ? 'is' : 'are'} deleted: ${retained ? 'their storage class retains the DigitalOcean volumes (Released PersistentVolumes, still billed; re-bind or delete them by hand)' : 'a storage class with reclaim policy Delete (do-block-storage) deletes the DigitalOcean volume and its data with the claim'}`;
}

/**
 * Warnings for the object changes of a changed tenant: replacements (immutable fields), renames (an
 * object deleted and one of the same kind created) and deletions.
 */
export function objectWarnings(t: TenantPlan): PlanWarning[] {
  const out: PlanWarning[] = [];
  const created = t.objects.filter((o) => o.action === 'create');
  const pairedCreates = new Set<ObjectChange>();
  const migrated = new Set(httpScaledObjectMigrations(t.objects));
  for (const o of t.objects) {
    if (migrated.has(o)) {
      out.push({ severity: 'caution', code: 'scaler-migrated', tenant: t.name, ...migrationMessage(o) });
    } else if (o.action === 'replace') {
      out.push({
        severity: 'destructive',
        code: 'object-replaced',
        tenant: t.name,
        message: `${describeRef(o.object)} is replaced (deleted and recreated): ${(o.immutable ?? []).join(', ')} cannot change in place`,
        fix: 'expect a short outage of this object; keep the immutable fields unchanged to update in place',
      });
    } else if (o.action === 'delete' && o.object.kind === 'PersistentVolumeClaim') {
      // Reported by specWarnings (volume-removed), with the storage class and what happens to the data.
      continue;
    } else if (o.action === 'delete') {
      const successor = created.find((c) => c.object.kind === o.object.kind && !pairedCreates.has(c));
      if (successor) {
        pairedCreates.add(successor);
        out.push({
          severity: 'destructive',
          code: 'object-renamed',
          tenant: t.name,
          message: `${describeRef(o.object)} is replaced by ${describeRef(successor.object)}: a rename deletes the old object and creates a new one`,
          fix: 'keep the object name unless the replacement is intended',
        });
      } else {
        out.push({
          severity: 'destructive',
          code: 'object-deleted',
          tenant: t.name,
          message: `${describeRef(o.object)} is deleted`,
          fix: 'restore the tenant field that produced it if the deletion is not intended',
        });
      }
    }
  }
  return out;
}

/**
 * What happens when load needs more replicas than scaling.max, by how requests reach the kind
 * (constructs/tenant-kinds.ts TENANT_KIND_PLANS): http and stateful tenants are reached through
 * the interceptor, a service straight through its Service, queue and scheduled tenants serve no
 * requests.
 */
export function overloadConsequence(spec: TenantSpec): string {
  switch (tenantKind(spec)) {
    case 'http':
    case 'stateful':
      return 'requests queue at the interceptor and time out';
    case 'service':
      return `the service's pods run hot and its callers${spec.consumers?.length ? ` (${spec.consumers.join(', ')})` : ''} see slow responses and timeouts`;
    case 'queue':
      return 'the backlog (consumer lag) grows until load drops';
    case 'scheduled':
      return 'the scheduled window gets fewer replicas than it asks for';
    case 'job':
      return 'runs wait for a free slot and the backlog (consumer lag) grows until load drops';
    case 'cron-job':
      return 'a run that is still going when the next one is due is skipped or replaced (cron.concurrencyPolicy)';
  }
}

function specWarnings(before: TenantSpec, after: TenantSpec): PlanWarning[] {
  const out: PlanWarning[] = [];
  const oldMax = before.scaling.max;
  const newMax = after.scaling.max;
  if (newMax < oldMax) {
    const pct = Math.round(((oldMax - newMax) / oldMax) * 100);
    out.push({
      severity: 'caution',
      code: 'capacity-reduced',
      tenant: after.name,
      message: `scaling.max lowered ${oldMax} → ${newMax} (capacity reduction of ${pct}%): if current load needs more than ${newMax} replica${newMax === 1 ? '' : 's'}, ${overloadConsequence(after)}`,
      fix: `check the tenant's peak replica count first (kubectl get deployment ${after.name} -n ${NAMESPACE_PREFIX}${after.name}, or its dashboards)`,
    });
  }
  const kept = new Set((after.volumes ?? []).map((v) => v.name));
  const gone = (before.volumes ?? []).filter((v) => !kept.has(v.name));
  if (gone.length > 0) {
    out.push({
      severity: 'destructive',
      code: 'volume-removed',
      tenant: after.name,
      message: `removing volume${gone.length === 1 ? '' : 's'} ${gone.map((v) => v.name).join(', ')}: ${claimsLost(before, gone)}`,
      fix: `back up the data first (kubectl cp, or a volume snapshot in DigitalOcean), or restore the volume entry; renaming a volume is a removal too`,
    });
  }
  const couldSleep = (t: TenantSpec) => !t.stateful && t.scaling.min === 0;
  if (couldSleep(after) && !couldSleep(before)) {
    out.push({
      severity: 'caution',
      code: 'scale-to-zero-enabled',
      tenant: after.name,
      message:
        `the tenant may now scale to zero after ${after.scaling.scaledownPeriod} s without traffic` +
        `${before.stateful ? ' (stateful: true removed: in-memory state and paired sessions are lost when it sleeps)' : ''}; the first request after sleep waits up to ${after.coldStartBudget} s`,
      fix: 'keep scaling.min: 1 (or stateful: true) if the tenant must stay warm',
    });
  }
  return out;
}

function hostWarnings(base: readonly TenantSpec[], head: readonly TenantSpec[]): PlanWarning[] {
  const owner = (list: readonly TenantSpec[]) => {
    const m = new Map<string, string>();
    for (const t of list) for (const h of t.hosts) m.set(h.toLowerCase(), t.name);
    return m;
  };
  const before = owner(base);
  const after = owner(head);
  const present = new Set(head.map((t) => t.name));
  const out: PlanWarning[] = [];
  for (const [host, was] of [...before].sort(([a], [b]) => compareStrings(a, b))) {
    const now = after.get(host);
    // Hosts of a removed tenant are covered by its removal (or rename) warning.
    if (now === was || !present.has(was)) continue;
    if (now !== undefined) {
      out.push({
        severity: 'caution',
        code: 'host-moved',
        tenant: was,
        message: `host ${host} moves from tenant "${was}" to tenant "${now}": its traffic goes to a different workload`,
        fix: 'make sure the move is intended (and that DNS and certificates follow)',
      });
    } else {
      out.push({
        severity: 'caution',
        code: 'host-removed',
        tenant: was,
        message: `host ${host} is no longer routed to tenant "${was}": requests to it get 404 from the Gateway`,
        fix: `keep ${host} in hosts until its DNS record is removed`,
      });
    }
  }
  return out;
}

function evaluatePolicy(
  head: readonly TenantSpec[],
  synth: (t: TenantSpec) => Manifest[],
  runner: PolicyRunner,
  touched: ReadonlySet<string>,
  scope: PolicyScope,
): PolicyResult {
  const objects: Manifest[] = [];
  const ownerOf = new Map<string, string>();
  for (const t of head) {
    for (const o of synth(t)) {
      objects.push(o);
      ownerOf.set(`${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`, t.name);
    }
  }
  const tenantNames = new Set(head.map((t) => t.name));
  const violations: PlanViolation[] = runner(objects).map((v) => {
    let tenant = ownerOf.get(`${v.kind}|${v.namespace ?? ''}|${v.name}`);
    if (tenant === undefined) {
      const ns = v.namespace || (v.kind === 'Namespace' ? v.name : '');
      const candidate = ns.startsWith(NAMESPACE_PREFIX) ? ns.slice(NAMESPACE_PREFIX.length) : undefined;
      if (candidate !== undefined && tenantNames.has(candidate)) tenant = candidate;
    }
    const base = { rule: v.rule, level: v.level, namespace: v.namespace, kind: v.kind, name: v.name, message: v.message, fix: v.fix };
    return tenant === undefined ? { ...base, touched: false } : { ...base, tenant, touched: touched.has(tenant) };
  });
  violations.sort(
    (a, b) =>
      (a.level === b.level ? 0 : a.level === 'mandatory' ? -1 : 1) ||
      compareStrings(a.tenant ?? '', b.tenant ?? '') ||
      compareStrings(a.kind, b.kind) ||
      compareStrings(a.namespace ?? '', b.namespace ?? '') ||
      compareStrings(a.name, b.name) ||
      compareStrings(a.rule, b.rule) ||
      compareStrings(a.message, b.message),
  );
  return {
    evaluated: true,
    scope,
    objects: objects.length,
    mandatory: violations.filter((v) => v.level === 'mandatory').length,
    advisory: violations.filter((v) => v.level === 'advisory').length,
    violations,
  };
}

/** Exit code of a plan: 1 when the new state breaks a mandatory rule, 2 when destructive, else 0. */
export function planExitCode(plan: Plan): 0 | 1 | 2 {
  if (plan.policy.mandatory > 0) return 1;
  return plan.destructive ? 2 : 0;
}

/** One-line summary: `1 added, 1 removed, 1 changed, 997 unchanged`. */
export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  return `${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.unchanged} unchanged`;
}

/** `path: old → new` */
export function formatFieldChange(c: FieldChange, max = 200): string {
  return `${c.path}: ${renderValue(c.old, max)} → ${renderValue(c.new, max)}`;
}

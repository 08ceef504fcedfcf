/**
 * Disks of stateful tenants: who may have them, how big, and where they are mounted. A volume is
 * a ReadWriteOnce PersistentVolumeClaim on DigitalOcean block storage, which attaches to one
 * Droplet at a time; the pod keeps its read-only root filesystem and writes only to its volumes
 * and the /tmp emptyDir.
 */
import type { Problem } from '../problem';
import { formatMemory, isMemoryQuantity, memoryBytes } from '../quantity';
import type { TenantKind } from '../kinds';
import type { TenantSpec } from '../schema';

/**
 * Smallest and largest DigitalOcean block storage volume: 1 GiB to 16 TiB (DigitalOcean API
 * reference, /v2/volumes: "They may be created in sizes from 1GiB to 16TiB"; the CSI driver
 * dobs.csi.digitalocean.com creates one such volume per claim).
 */
export const VOLUME_SIZE_BOUNDS = { minBytes: 1024n ** 3n, maxBytes: 16n * 1024n ** 4n } as const;

/** The pod's scratch emptyDir (tenant-workload.ts), which no volume may shadow or share a name with. */
export const TMP_VOLUME = { name: 'tmp', mountPath: '/tmp', sizeLimit: '64Mi' } as const;

/**
 * Paths no volume may be mounted at, under or above, and why. The container runtime refuses a
 * mount inside /proc ("cannot be mounted because it is inside /proc":
 * opencontainers/runc@v1.1.12 libcontainer/rootfs_linux.go:560-617) and skips setting up /dev
 * (device nodes, /dev/null) when something is mounted there, comparing destinations cleaned
 * (rootfs_linux.go:41-49); the kubelet mounts /etc/hosts, /etc/hostname, /etc/resolv.conf and /dev/termination-log into
 * every container, and /var/run/secrets is where Kubernetes mounts service-account tokens
 * (/run/secrets: /var/run is a symlink to /run in most images).
 */
export const RESERVED_MOUNT_PATHS: readonly { readonly path: string; readonly why: string }[] = [
  { path: '/proc', why: 'the kernel\'s /proc, which the container runtime refuses to mount over or inside (the pod never starts)' },
  { path: '/sys', why: 'the kernel\'s /sys, which the container runtime mounts' },
  { path: '/dev', why: 'the container\'s /dev (device nodes, /dev/null, /dev/termination-log), which the runtime and the kubelet set up' },
  { path: '/etc/hosts', why: 'a file the kubelet mounts into every container' },
  { path: '/etc/hostname', why: 'a file the kubelet mounts into every container' },
  { path: '/etc/resolv.conf', why: 'a file the kubelet mounts into every container (DNS)' },
  { path: '/var/run/secrets', why: 'where Kubernetes mounts service-account tokens' },
  { path: '/run/secrets', why: 'where Kubernetes mounts service-account tokens (/var/run links to /run)' },
];

/** The image's system directories: a disk mounted at one of them (like at /) hides the image's own files. */
export const SYSTEM_DIRECTORIES = ['/bin', '/etc', '/lib', '/lib64', '/sbin', '/usr'];

/** Why only a single-replica stateful tenant may own a disk, quoted by the refusals. */
const ONE_ATTACHMENT =
  'a DigitalOcean volume is a ReadWriteOnce disk that attaches to one Droplet at a time, so only a single-replica tenant replaced with Recreate (kind stateful, scaling.max 1) can own one: a second replica or a rolling-update surge pod on another node waits on "Multi-Attach error", and a tenant that sleeps gains nothing from a disk it cannot keep warm';

type Volume = NonNullable<TenantSpec['volumes']>[number];

/** True when path `a` is `b` or lies under it (or the other way round). */
export function pathsOverlap(a: string, b: string): boolean {
  const norm = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  const x = norm(a);
  const y = norm(b);
  return x === y || x.startsWith(`${y === '/' ? '' : y}/`) || y.startsWith(`${x === '/' ? '' : x}/`);
}

/** `path` with repeated "/" collapsed and a trailing "/" removed (what the runtime mounts at). Pure. */
export function cleanPath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

/** Why a mount path cannot be used, as a refusal's message, allowed and fix. */
export interface MountPathProblem {
  readonly message: string;
  readonly allowed: string;
  readonly fix: string;
}

/**
 * What is wrong with `mountPath` for a writable mount (a volume or a scratch emptyDir), or
 * undefined: "/" or "." / ".." segments, an unclean path, a system directory, a reserved path, or
 * one overlapping the /tmp emptyDir. Pure; shared by volumes and scratch (tenants/rules/scratch.ts).
 */
export function mountPathProblem(mountPath: string, what: 'volume' | 'scratch mount'): MountPathProblem | undefined {
  const reserved = RESERVED_MOUNT_PATHS.find((r) => pathsOverlap(mountPath, r.path));
  if (mountPath === '/' || mountPath.split('/').some((seg) => seg === '..' || seg === '.')) {
    return { message: mountPath === '/' ? `a ${what} over / would hide the image` : 'the path has "." or ".." segments', allowed: 'an absolute path below /, without "." or "..", e.g. "/data"', fix: `mount the ${what} at e.g. "/data"` };
  }
  if (/\/\/|.\/$/.test(mountPath)) {
    // Kubernetes compares mount paths as strings, the runtime cleans them: "//tmp" is /tmp.
    const clean = cleanPath(mountPath);
    return { message: `the path has repeated or trailing "/"; the container runtime mounts it at ${clean}, while Kubernetes compares mount paths as written`, allowed: 'an absolute path in clean form: single "/" between names, none at the end', fix: `write "${clean}"` };
  }
  if (SYSTEM_DIRECTORIES.includes(mountPath)) {
    return { message: `a ${what} at ${mountPath} would hide the image's own ${mountPath} (programs, libraries, users or CA certificates): the application would not start, or not as built`, allowed: `a directory other than /, ${SYSTEM_DIRECTORIES.join(', ')} (a directory under them is fine)`, fix: `mount the ${what} at the application's data directory, e.g. "/data"` };
  }
  if (reserved) {
    return { message: `it ${mountPath === reserved.path ? 'is' : reserved.path.startsWith(`${mountPath}/`) ? 'contains' : 'lies under'} ${reserved.path}, ${reserved.why}`, allowed: `a path that neither contains nor lies under ${RESERVED_MOUNT_PATHS.map((r) => r.path).join(', ')}`, fix: `mount the ${what} at the application's data directory, e.g. "/data" or "/var/lib/<app>"` };
  }
  if (pathsOverlap(mountPath, TMP_VOLUME.mountPath)) {
    return { message: `it overlaps ${TMP_VOLUME.mountPath}, the pod's scratch emptyDir`, allowed: 'a path that neither contains nor lies under /tmp', fix: `mount the ${what} elsewhere, e.g. "/data"` };
  }
  return undefined;
}

/** Problems of a resolved tenant's volumes, given its kind. Pure. */
export function volumeProblems(spec: TenantSpec, kind: TenantKind): Problem[] {
  const volumes = spec.volumes ?? [];
  if (volumes.length === 0) return [];
  const out: Problem[] = [];
  const add = (field: string, value: unknown, message: string, allowed: string, fix: string) => out.push({ tenant: spec.name, field, value, message, allowed, fix });
  if (kind !== 'stateful') {
    add('volumes', volumes.map((v) => v.name).join(', '), `a ${kind} tenant may not have volumes: ${ONE_ATTACHMENT}`, 'volumes on kind stateful only', 'remove volumes (keep state in a managed database or object storage), or set kind: stateful with scaling.min 1 and scaling.max 1');
    return out;
  }
  if (spec.scaling.max > 1) {
    add('scaling.max', spec.scaling.max, `a stateful tenant with volumes runs one replica: ${ONE_ATTACHMENT}`, 'scaling.max: 1 with volumes', 'set scaling.max: 1, or remove volumes');
  }
  const names = new Set<string>();
  volumes.forEach((v: Volume, i) => {
    if (v.name === TMP_VOLUME.name) add(`volumes[${i}].name`, v.name, 'the pod already has a volume named "tmp" (the /tmp emptyDir)', 'a DNS label other than "tmp"', 'rename the volume, e.g. "data"');
    if (names.has(v.name)) add(`volumes[${i}].name`, v.name, 'two volumes have the same name', 'each volume name once', 'rename one of them');
    names.add(v.name);
    if (isMemoryQuantity(v.size)) {
      const bytes = memoryBytes(v.size);
      if (bytes < VOLUME_SIZE_BOUNDS.minBytes || bytes > VOLUME_SIZE_BOUNDS.maxBytes) {
        add(`volumes[${i}].size`, v.size, `${v.size} is ${bytes < VOLUME_SIZE_BOUNDS.minBytes ? 'below' : 'above'} what a DigitalOcean volume can be`, `from ${formatMemory(VOLUME_SIZE_BOUNDS.minBytes)} to ${formatMemory(VOLUME_SIZE_BOUNDS.maxBytes)} (DigitalOcean block storage: 1GiB to 16TiB per volume)`, bytes < VOLUME_SIZE_BOUNDS.minBytes ? 'write e.g. size: 1Gi (a number without a unit counts bytes)' : 'split the data over several volumes of at most 16Ti');
      }
    }
    const path = mountPathProblem(v.mountPath, 'volume');
    if (path) add(`volumes[${i}].mountPath`, v.mountPath, path.message, path.allowed, path.fix);
    volumes.slice(0, i).forEach((earlier, j) => {
      // "/" is refused above; it would overlap every other path too.
      if (v.mountPath !== '/' && earlier.mountPath !== '/' && pathsOverlap(v.mountPath, earlier.mountPath)) {
        add(`volumes[${i}].mountPath`, v.mountPath, `it overlaps volumes[${j}].mountPath (${earlier.mountPath}): one mount would hide the other's files`, 'mount paths that do not contain one another', `mount it beside ${earlier.mountPath}, e.g. "${earlier.mountPath.replace(/\/+$/, '')}-${v.name}"`);
      }
    });
  });
  return out;
}

import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-28';
import { DEFAULT_STORAGE_CLASS } from '../tenants/schema';
import { TenantContext } from './tenant-context';

/** Claim of a tenant's volume: `<tenant>-<volume>`, in the tenant namespace. */
export function claimName(tenant: string, volume: string): string {
  return `${tenant}-${volume}`;
}

export interface TenantVolumesProps {
  /** The tenant (spec, settings, names, labels); its `volumes` become claims. */
  readonly ctx: TenantContext;
}

/**
 * The disks of a stateful tenant: one ReadWriteOnce PersistentVolumeClaim per volume, on
 * DigitalOcean block storage unless the volume names another StorageClass. The single pod
 * (Recreate) mounts them (tenant-workload.ts). Deleting the tenant deletes its namespace and so
 * its claims; with `do-block-storage` (reclaim policy Delete) the DigitalOcean volume goes too,
 * with `do-block-storage-retain` the PersistentVolume and the disk stay (`plan` warns either way).
 */
export class TenantVolumes extends Construct {
  public readonly claims: kplus.k8s.KubePersistentVolumeClaim[];

  constructor(scope: Construct, id: string, props: TenantVolumesProps) {
    super(scope, id);
    const { ctx } = props;
    this.claims = (ctx.spec.volumes ?? []).map(
      (v) =>
        new kplus.k8s.KubePersistentVolumeClaim(this, v.name, {
          metadata: ctx.meta(claimName(ctx.name, v.name)),
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: v.storageClass ?? DEFAULT_STORAGE_CLASS,
            resources: { requests: { storage: kplus.k8s.Quantity.fromString(v.size) } },
          },
        }),
    );
  }
}

/**
 * HTTPScaledObject → InterceptorRoute + ScaledObject of the same tenant is a migration, not a
 * removal: the add-on's own routing table already prefers an InterceptorRoute of the same
 * namespace and name (kedacore/http-add-on@v0.15.0 pkg/routing/table.go:80-84), and the
 * ScaledObject of the same name survives the HTTPScaledObject's deletion once the orphan
 * annotation has been applied (operator/controllers/http/app.go:41-46; keda-docs
 * content/http-add-on/0.15/operations/migrate-httpscaledobject-to-interceptorroute.md).
 */
import { describeRef, ObjectChange } from './diff';

/** The HTTPScaledObject deletions of `changes` that an InterceptorRoute and a ScaledObject of the same namespace and name replace. */
export function httpScaledObjectMigrations(changes: readonly ObjectChange[]): ObjectChange[] {
  const at = (kind: string, o: ObjectChange) =>
    changes.some((c) => c.object.kind === kind && c.action !== 'delete' && c.object.namespace === o.object.namespace && c.object.name === o.object.name);
  return changes.filter((c) => c.action === 'delete' && c.object.kind === 'HTTPScaledObject' && at('InterceptorRoute', c) && at('ScaledObject', c));
}

/** What the plan says about one migration (severity caution: traffic stays routed throughout). */
export function migrationMessage(change: ObjectChange): { message: string; fix: string } {
  const ref = describeRef(change.object);
  return {
    message:
      `${ref} is migrated to InterceptorRoute + ScaledObject ${change.object.namespace}/${change.object.name}: ` +
      'the interceptor routes by the InterceptorRoute as soon as it exists, and the ScaledObject keeps scaling',
    fix:
      'apply once with tenantscale:httpScaledObjectMigration true (the HTTPScaledObject is kept with ' +
      'httpscaledobject.keda.sh/orphan-scaledobject so deleting it leaves the ScaledObject), then once without it',
  };
}

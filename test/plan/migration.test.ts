import { diffObjects } from '../../cli/plan/diff';
import { httpScaledObjectMigrations } from '../../cli/plan/migration';
import { objectWarnings } from '../../cli/plan/plan';
import { tenantManifests } from '../../constructs/manifests';
import { DEFAULT_PLATFORM_SETTINGS } from '../../constructs/platform-settings';
import { validateTenantsText } from '../../tenants/validate';
import { EXAMPLE } from './git-fixture';

const [spec] = validateTenantsText(EXAMPLE).tenants;
/** The tenant as tenantscale wrote it before InterceptorRoute: an HTTPScaledObject, no InterceptorRoute or ScaledObject. */
const before = tenantManifests(spec, { ...DEFAULT_PLATFORM_SETTINGS, httpScaledObjectMigration: true })
  .filter((o) => o.kind !== 'InterceptorRoute' && o.kind !== 'ScaledObject')
  .map((o) => (o.kind === 'HTTPScaledObject' ? { ...o, metadata: { ...o.metadata, annotations: undefined } } : o));
const after = tenantManifests(spec);

describe('plan: HTTPScaledObject → InterceptorRoute + ScaledObject', () => {
  test('is one migration (caution), not a deletion (destructive)', () => {
    const objects = diffObjects(before, after);
    expect(objects.filter((o) => o.action === 'delete').map((o) => o.object.kind)).toEqual(['HTTPScaledObject']);
    const warnings = objectWarnings({ name: spec.name, status: 'changed', spec: [], objects });
    expect(warnings).toEqual([
      expect.objectContaining({ severity: 'caution', code: 'scaler-migrated', message: expect.stringMatching(/^HTTPScaledObject tenant-\S+ is migrated to InterceptorRoute \+ ScaledObject/) }),
    ]);
  });

  test('an HTTPScaledObject deleted without its replacement is still a destructive deletion', () => {
    const objects = diffObjects(before, after.filter((o) => o.kind !== 'InterceptorRoute'));
    expect(httpScaledObjectMigrations(objects)).toEqual([]);
    expect(objectWarnings({ name: spec.name, status: 'changed', spec: [], objects }).map((w) => `${w.severity} ${w.code}`)).toContain('destructive object-deleted');
  });
});

/**
 * The tenantscale CrossGuard pack: `pulumi preview --policy-pack policies` (after
 * `cd policies && npm install`). The rules live in policies/rules/ and are shared with
 * `tenantscale check`; see docs/policies.md.
 */
import { PolicyPack } from '@pulumi/policy';
import { policies } from './pack';

new PolicyPack('tenantscale', { policies });

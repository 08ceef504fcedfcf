/**
 * The policy rules the plan evaluates over the new state: policies/engine.ts `runRules`, the same
 * rules `tenantscale check` and the CrossGuard pack run.
 */
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../../constructs/platform-settings';
import { runRules } from '../../policies/engine';
import type { PolicyRunner } from './plan';

/**
 * A runner evaluating every manifest rule with the given platform settings (the names the rules
 * expect: interceptor Service, Gateway, tenant namespace label).
 */
export function policyRunner(settings: PlatformSettings = DEFAULT_PLATFORM_SETTINGS): PolicyRunner {
  return (objects) => runRules(objects, { settings });
}

/** Every rule, in the order of the list; rules the lessons imply beyond the list come last. */
import type { ManifestRule, ResourceRule } from '../types';
import { autoscaledWorkloadHasRequestsRule } from './autoscaled-workload-has-requests';
import { autoscalerOwnsReplicasRule } from './autoscaler-owns-replicas';
import { oneHorizontalAutoscalerRule } from './one-horizontal-autoscaler';
import { noVpaActingOnHpaResourceRule } from './no-vpa-acting-on-hpa-resource';
import { vpaActingModeRule } from './vpa-acting-mode';
import { statefulNeverScalesToZeroRule } from './stateful-never-scales-to-zero';
import { hpaScaleDownStabilizedRule } from './hpa-scale-down-stabilized';
import { memoryOnlyHpaRule } from './memory-only-hpa';
import { httpScaledRoutesThroughInterceptorRule } from './http-scaled-routes-through-interceptor';
import { crossNamespaceRefGrantedRule } from './cross-namespace-ref-granted';
import { uniqueHostnamesRule } from './unique-hostnames';
import { coldStartTimeoutChainRule } from './cold-start-timeout-chain';
import { httpScaledHasReadinessRule } from './http-scaled-has-readiness';
import { imagePinnedRule } from './image-pinned';
import { pinnedImagePullPolicyRule } from './pinned-image-pull-policy';
import { pdbAllowsScaleDownRule } from './pdb-allows-scale-down';
import { cronCooldownFitsWindowRule } from './cron-cooldown-fits-window';
import { tenantGuardrailsRule } from './tenant-guardrails';
import { routeAdmittedByGatewayRule } from './route-admitted-by-gateway';
import { httpScaledServicePortRule } from './http-scaled-service-port';
import { scaledownPeriodProductionRule } from './scaledown-period-production';
import { datastoreNeverScalesToZeroRule } from './datastore-never-scales-to-zero';
import { chartVersionsPinnedRule } from './chart-versions-pinned';
import { scaleToZeroNeedsNodeAutoscalingRule } from './scale-to-zero-needs-node-autoscaling';
import { capacityFitsRule } from './capacity-fits';
import { resourceTriggersKeepAReplicaRule } from './resource-triggers-keep-a-replica';
import { directRoutingChainRule } from './direct-routing-chain';
import { platformNamespaceDefaultDenyRule } from './platform-default-deny';

/** Rules over Kubernetes objects: `tenantscale check` and the pack's stack-level adapter run these. */
export const MANIFEST_RULES: readonly ManifestRule[] = [
  autoscaledWorkloadHasRequestsRule,
  autoscalerOwnsReplicasRule,
  oneHorizontalAutoscalerRule,
  noVpaActingOnHpaResourceRule,
  vpaActingModeRule,
  statefulNeverScalesToZeroRule,
  hpaScaleDownStabilizedRule,
  memoryOnlyHpaRule,
  httpScaledRoutesThroughInterceptorRule,
  crossNamespaceRefGrantedRule,
  uniqueHostnamesRule,
  coldStartTimeoutChainRule,
  httpScaledHasReadinessRule,
  imagePinnedRule,
  pinnedImagePullPolicyRule,
  pdbAllowsScaleDownRule,
  cronCooldownFitsWindowRule,
  tenantGuardrailsRule,
  routeAdmittedByGatewayRule,
  httpScaledServicePortRule,
  scaledownPeriodProductionRule,
  datastoreNeverScalesToZeroRule,
  resourceTriggersKeepAReplicaRule,
  directRoutingChainRule,
  platformNamespaceDefaultDenyRule,
];

/** Rules over registered Pulumi resources (Helm releases, DOKS node pools): CrossGuard only. */
export const RESOURCE_RULES: readonly ResourceRule[] = [chartVersionsPinnedRule, scaleToZeroNeedsNodeAutoscalingRule, capacityFitsRule];

/** Names of the rules added beyond the issue's list of twenty (rule 14's advisory half included). */
export const ADDED_RULES: readonly string[] = [
  pinnedImagePullPolicyRule.name,
  routeAdmittedByGatewayRule.name,
  httpScaledServicePortRule.name,
  scaledownPeriodProductionRule.name,
  datastoreNeverScalesToZeroRule.name,
  resourceTriggersKeepAReplicaRule.name,
  directRoutingChainRule.name,
  platformNamespaceDefaultDenyRule.name,
];

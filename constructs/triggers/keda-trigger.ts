import type { BrokerEgress } from '../../tenants/rules/egress';

/** A KEDA ScaledObject trigger and the TriggerAuthentication it may need, as plain data. */
export interface KedaTrigger {
  readonly type: string;
  readonly metadata: Record<string, string>;
  /** A TriggerAuthentication in the tenant namespace (see `TriggerAuth`). */
  readonly authenticationRef?: { readonly name: string };
}

/** One TriggerAuthentication: trigger parameters read from keys of Secrets in the tenant namespace. */
export interface TriggerAuth {
  readonly name: string;
  readonly secretTargetRef: readonly { readonly parameter: string; readonly name: string; readonly key: string }[];
}

/** A trigger plus what it needs besides itself. */
export interface TriggerPlan {
  readonly trigger: KedaTrigger;
  readonly auth?: TriggerAuth;
  /** Brokers the workload's own pods must reach (they sit in blocked private ranges): port, and /32 when given by address. */
  readonly brokerEgress?: readonly BrokerEgress[];
}

import type { QueueTrigger } from '../../tenants/kinds';
import { brokerEgress } from '../../tenants/rules/egress';
import { TriggerPlan } from './keda-trigger';

type RedisList = Extract<QueueTrigger, { type: 'redis-list' }>;
type RedisStream = Extract<QueueTrigger, { type: 'redis-stream' }>;

/** The password as an auth parameter (kedacore/keda@v2.20.2 pkg/scalers/redis_scaler.go:51). */
function passwordAuth(secret: string | undefined, authName: string) {
  return secret ? { name: authName, secretTargetRef: [{ parameter: 'password', name: secret, key: 'password' }] } : undefined;
}

/** Redis list length (redis_scaler.go:49, 66-68: address, listLength, activationListLength, listName). */
export function redisListTrigger(t: RedisList, authName: string): TriggerPlan {
  const auth = passwordAuth(t.passwordSecret, authName);
  return {
    trigger: {
      type: 'redis',
      metadata: {
        address: t.address,
        listName: t.listName,
        listLength: String(t.listLength),
        ...(t.activationListLength !== undefined ? { activationListLength: String(t.activationListLength) } : {}),
      },
      ...(auth ? { authenticationRef: { name: authName } } : {}),
    },
    ...(auth ? { auth } : {}),
    brokerEgress: brokerEgress(t.address),
  };
}

/** Redis stream pending entries of a consumer group (redis_streams_scaler.go:52-56; connection fields from redis_scaler.go:49). */
export function redisStreamTrigger(t: RedisStream, authName: string): TriggerPlan {
  const auth = passwordAuth(t.passwordSecret, authName);
  return {
    trigger: {
      type: 'redis-streams',
      metadata: { address: t.address, stream: t.stream, consumerGroup: t.consumerGroup, pendingEntriesCount: String(t.pendingEntriesCount) },
      ...(auth ? { authenticationRef: { name: authName } } : {}),
    },
    ...(auth ? { auth } : {}),
    brokerEgress: brokerEgress(t.address),
  };
}

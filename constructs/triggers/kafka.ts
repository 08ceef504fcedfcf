import type { KafkaTrigger } from '../../tenants/kinds';
import { brokerEgress } from '../../tenants/rules/egress';
import { TriggerPlan } from './keda-trigger';

/**
 * Kafka consumer-group lag (kedacore/keda@v2.20.2 pkg/scalers/kafka_scaler.go:59-100 for the
 * names). `allowIdleConsumers` stays at its default false, so KEDA never asks for more replicas
 * than the topic has partitions (kafka_scaler.go:825-828); validation also keeps scaling.max ≤
 * partitions. SASL username/password and TLS ca/cert/key are auth parameters (kafka_scaler.go:80-87)
 * read from `credentialsSecret` through a TriggerAuthentication.
 */
export function kafkaTrigger(t: KafkaTrigger, authName: string): TriggerPlan {
  const metadata: Record<string, string> = {
    bootstrapServers: t.bootstrapServers,
    consumerGroup: t.consumerGroup,
    topic: t.topic,
    lagThreshold: String(t.lagThreshold),
    activationLagThreshold: String(t.activationLagThreshold),
    offsetResetPolicy: 'latest',
    ...(t.sasl ? { sasl: t.sasl } : {}),
    ...(t.tls ? { tls: 'enable' } : {}),
  };
  const refs = t.credentialsSecret
    ? [
        ...(t.sasl ? ['username', 'password'] : []),
        ...(t.tls ? ['ca'] : []),
      ].map((parameter) => ({ parameter, name: t.credentialsSecret!, key: parameter }))
    : [];
  return {
    trigger: { type: 'kafka', metadata, ...(refs.length > 0 ? { authenticationRef: { name: authName } } : {}) },
    ...(refs.length > 0 ? { auth: { name: authName, secretTargetRef: refs } } : {}),
    brokerEgress: brokerEgress(t.bootstrapServers),
  };
}

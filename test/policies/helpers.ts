import { join } from 'node:path';
import { loadManifestDir } from '../../policies/engine';
import type { KubeObject } from '../../policies/types';

export const FIXTURES = join(__dirname, '..', 'fixtures');

/**
 * A fresh, mutable copy of one fixture directory's objects. (A JSON round trip rather than
 * structuredClone, whose objects come from outside jest's realm and fail `instanceof Object`.)
 */
export function fixture(name: string): KubeObject[] {
  return JSON.parse(JSON.stringify(loadManifestDir(join(FIXTURES, name)))) as KubeObject[];
}

/** The object of this kind and name (first match); throws when absent, so a typo fails the test. */
export function find(objects: readonly KubeObject[], kind: string, name: string): KubeObject & { spec: any } {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`fixture has no ${kind}/${name}`);
  return o as KubeObject & { spec: any };
}

/** The first container of a workload's pod template. */
export function container(workload: KubeObject & { spec: any }, index = 0): any {
  return workload.spec.template.spec.containers[index];
}

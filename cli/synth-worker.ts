/**
 * Building tenant files in parallel. Small lists are built in-process; larger ones by a pool of
 * worker threads (one per CPU) that claim the next chunk of the validated tenant list from a
 * shared counter, build every tenant of the chunk through the Tenant construct, and hand the
 * chunk's files to the main thread, which writes them into the staging directory as they arrive
 * (one writer: file creation in one directory from several threads makes the kernel spin on the
 * directory lock), so no chunk is held longer than it takes to write it. Each file is a pure
 * function of its tenant, so the bytes do not depend on which thread built it or on how many
 * threads there are.
 *
 * The main thread posts the job, then writes files until every worker has finished, waiting with
 * Atomics.waitAsync (and building in-process lists chunk by chunk, yielding between chunks), so
 * the event loop turns while tenants are built: a SIGINT or SIGTERM handler (see
 * cli/synth-output/staging.ts) runs between two chunks instead of after the whole list.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { tenantManifests, toYaml } from '../constructs/manifests';
import { PlatformSettings } from '../constructs/platform-settings';
import { TenantSpec } from '../tenants/schema';

/** Tenants a thread claims at a time: small enough to balance the load, large enough to be cheap. */
export const CHUNK_SIZE = 32;
/** Below this many tenants, starting a worker costs more than it saves. */
export const PARALLEL_THRESHOLD = 200;
/** Most threads `defaultThreadCount` picks, whatever the machine. */
export const MAX_DEFAULT_THREADS = 8;

/** What a set of written tenant files contained. */
export interface Tally {
  /** Objects per kind. */
  readonly kinds: Record<string, number>;
  readonly objectCount: number;
  readonly tenantCount: number;
}

/**
 * Slots of the shared Int32Array: the next chunk to claim, how many workers have finished, the
 * job flag (see JOB below), and a counter bumped whenever a worker posts something.
 */
const NEXT = 0;
const FINISHED = 1;
const SIGNAL = 3;
const STATE_SLOTS = 4;

/** Files of one chunk: tenant name and file content, in list order. */
export type ChunkFiles = readonly (readonly [name: string, text: string])[];

/** Writes `<dir>/tenants/<name>.yaml` for every file of a chunk. */
export function writeTenantFiles(dir: string): (files: ChunkFiles) => void {
  return (files) => {
    for (const [name, text] of files) writeFileSync(join(dir, 'tenants', `${name}.yaml`), text);
  };
}

/**
 * Builds tenant files until the shared counter runs past the list: claims chunk after chunk
 * (`Atomics.add` on `state[NEXT]`), builds each tenant of the chunk, and hands the chunk's files
 * to `sink`.
 */
export function buildTenantFiles(
  tenants: readonly TenantSpec[],
  settings: PlatformSettings,
  state: Int32Array,
  sink: (files: ChunkFiles) => void,
): Tally {
  const tallies: Tally[] = [];
  const chunks = Math.ceil(tenants.length / CHUNK_SIZE);
  for (let chunk = Atomics.add(state, NEXT, 1); chunk < chunks; chunk = Atomics.add(state, NEXT, 1)) {
    sink(buildChunk(tenants, settings, chunk, tallies));
  }
  return mergeTallies(tallies);
}

/** Builds chunk number `chunk` of the list; pushes each tenant's tally onto `tallies`. */
function buildChunk(tenants: readonly TenantSpec[], settings: PlatformSettings, chunk: number, tallies: Tally[]): ChunkFiles {
  const end = Math.min(tenants.length, (chunk + 1) * CHUNK_SIZE);
  const files: [string, string][] = [];
  for (let i = chunk * CHUNK_SIZE; i < end; i++) {
    const spec = tenants[i];
    const objects = tenantManifests(spec, settings);
    tallies.push(tallyObjects(objects, 1));
    files.push([spec.name, toYaml(objects)]);
  }
  return files;
}

/** Builds every chunk on this thread, writing each as it is built and yielding to the event loop in between. */
async function buildInProcess(tenants: readonly TenantSpec[], settings: PlatformSettings, sink: (files: ChunkFiles) => void): Promise<Tally> {
  const tallies: Tally[] = [];
  for (let chunk = 0; chunk < Math.ceil(tenants.length / CHUNK_SIZE); chunk++) {
    sink(buildChunk(tenants, settings, chunk, tallies));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return mergeTallies(tallies);
}

/** The tally of one set of objects: objects per kind, how many, and the tenants they belong to. */
export function tallyObjects(objects: readonly { kind: string }[], tenantCount: number): Tally {
  const kinds: Record<string, number> = {};
  for (const o of objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
  return { kinds, objectCount: objects.length, tenantCount };
}

/**
 * `Atomics.waitAsync` (Node 16+, ES2024; the tsconfig's lib is ES2022): resolves when the slot is
 * notified or the timeout passes, without blocking the event loop.
 */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number, timeout: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** Slot of the shared Int32Array the workers sleep on until the job is posted (1) or cancelled (2). */
const JOB = 2;
const JOB_POSTED = 1;
const JOB_CANCELLED = 2;

/** Data a worker thread starts with. */
export interface WorkerData {
  readonly state: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** The job, posted to every worker once the tenant list is valid. */
export interface WorkerJob {
  readonly tenants: readonly TenantSpec[];
  readonly settings: PlatformSettings;
}

/** Messages a worker posts: the files of each chunk, then its tally (or an error). */
type WorkerMessage = { readonly files: ChunkFiles } | { readonly tally: Tally } | { readonly error: string };

/**
 * Worker side, once its modules are loaded: sleep until the job is posted (or cancelled), build,
 * post the tally on the port.
 */
export function runWorker(data: WorkerData): void {
  const state = new Int32Array(data.state);
  let job: WorkerJob | undefined;
  while (job === undefined) {
    if (Atomics.load(state, JOB) === JOB_CANCELLED) return;
    job = receiveMessageOnPort(data.port)?.message as WorkerJob | undefined;
    if (job === undefined) Atomics.wait(state, JOB, 0, 1000);
  }
  const post = (message: WorkerMessage): void => {
    data.port.postMessage(message);
    Atomics.add(state, SIGNAL, 1);
    Atomics.notify(state, SIGNAL);
  };
  const tally = buildTenantFiles(job.tenants, job.settings, state, (files) => post({ files }));
  post({ tally });
}

/**
 * Threads that build `tenantCount` tenants when none is asked for: 1 (in-process) for small
 * lists, else one worker per CPU, at most 8.
 */
export function defaultThreadCount(tenantCount: number, cpus: number = availableParallelism()): number {
  return tenantCount < PARALLEL_THRESHOLD ? 1 : Math.max(1, Math.min(cpus, MAX_DEFAULT_THREADS));
}

/**
 * The worker's bootstrap. It always signals `FINISHED`, even when loading the modules fails, so
 * the main thread never waits for a worker that is gone. Under ts-jest the modules are
 * TypeScript: the bootstrap then transpiles them with `typescript` as they are required.
 */
function bootstrap(modulePath: string): string {
  // Transpiled files are cached by content in the temp directory, shared by every worker.
  const tsHook = modulePath.endsWith('.ts')
    ? `const ts = require(${JSON.stringify(require.resolve('typescript'))});
       const fs = require('node:fs');
       const path = require('node:path');
       const crypto = require('node:crypto');
       const cacheDir = path.join(require('node:os').tmpdir(), 'tenantscale-worker-ts-cache');
       fs.mkdirSync(cacheDir, { recursive: true });
       const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true };
       require.extensions['.ts'] = (m, filename) => {
         const source = fs.readFileSync(filename, 'utf8');
         const key = crypto.createHash('sha256').update(ts.version + '\\0' + filename + '\\0' + source).digest('hex');
         const cached = path.join(cacheDir, key + '.js');
         let js;
         try {
           js = fs.readFileSync(cached, 'utf8');
         } catch {
           js = ts.transpileModule(source, { fileName: filename, compilerOptions }).outputText;
           const temp = cached + '.' + process.pid + '-' + require('node:worker_threads').threadId;
           fs.writeFileSync(temp, js);
           fs.renameSync(temp, cached);
         }
         m._compile(js, filename);
       };`
    : '';
  return `'use strict';
    const { workerData } = require('node:worker_threads');
    const state = new Int32Array(workerData.state);
    try {
      ${tsHook}
      require(${JSON.stringify(modulePath)}).runWorker(workerData);
    } catch (err) {
      workerData.port.postMessage({ error: String((err && err.stack) || err) });
    } finally {
      Atomics.add(state, ${FINISHED}, 1);
      Atomics.add(state, ${SIGNAL}, 1);
      Atomics.notify(state, ${SIGNAL});
    }`;
}

/**
 * Worker threads that build tenant files. Started early (they load cdk8s while the main thread
 * validates the tenant list), used at most once by `build`, then closed.
 */
export class SynthPool {
  /** Starts `size` workers; they load their modules and wait for the job. */
  public static start(size: number): SynthPool {
    return new SynthPool(Math.max(1, Math.floor(size)));
  }

  private readonly state = new Int32Array(new SharedArrayBuffer(STATE_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  private readonly workers: { readonly worker: Worker; readonly port: MessagePort }[] = [];
  private used = false;

  private constructor(public readonly size: number) {
    for (let i = 0; i < size; i++) {
      const { port1, port2 } = new MessageChannel();
      const data: WorkerData = { state: this.state.buffer as SharedArrayBuffer, port: port2 };
      // V8's default heap sizes: a larger young generation (96 MB) measured no faster and cost
      // about 50 MB of peak memory per worker.
      const worker = new Worker(bootstrap(__filename), { eval: true, workerData: data, transferList: [port2] });
      worker.unref();
      this.workers.push({ worker, port: port1 });
    }
  }

  /**
   * Builds every tenant on the workers and writes `<dir>/tenants/<name>.yaml` on this thread as
   * the chunks arrive; returns what was written. Throws if any worker failed; files already
   * written stay in `dir`, which the caller (a staging directory) discards.
   */
  public async build(tenants: readonly TenantSpec[], settings: PlatformSettings, dir: string): Promise<Tally> {
    if (this.used) throw new Error('a SynthPool builds once');
    this.used = true;
    const job: WorkerJob = { tenants, settings };
    for (const { port } of this.workers) port.postMessage(job);
    Atomics.store(this.state, JOB, JOB_POSTED);
    Atomics.notify(this.state, JOB);
    const write = writeTenantFiles(dir);
    // A pending Atomics.waitAsync does not keep the process alive (the workers are unref'd): this does.
    const keepAlive = setInterval(() => undefined, 60_000);
    const tallies: Tally[] = [];
    const errors: string[] = [];
    const drain = (): void => {
      for (const { port } of this.workers) {
        for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
          const message = m.message as WorkerMessage;
          if ('files' in message) write(message.files);
          else if ('tally' in message) tallies.push(message.tally);
          else errors.push(message.error);
        }
      }
    };
    try {
      const n = this.workers.length;
      for (;;) {
        const signal = Atomics.load(this.state, SIGNAL);
        // Read FINISHED before draining: a worker posts everything before it counts as finished.
        const finished = Atomics.load(this.state, FINISHED);
        drain();
        if (finished >= n) break;
        const wait = waitAsync(this.state, SIGNAL, signal, 1000);
        if (wait.async) await wait.value;
      }
    } catch (err) {
      Atomics.store(this.state, NEXT, 1 << 30); // the workers stop at their next claim
      throw err;
    } finally {
      clearInterval(keepAlive);
    }
    if (errors.length > 0) throw new Error(`synth worker failed: ${errors[0]}`);
    if (tallies.length !== this.workers.length) throw new Error('a synth worker stopped without a result');
    const tally = mergeTallies(tallies);
    // Every tenant is claimed exactly once; a shortfall means a worker stopped early.
    if (tally.tenantCount !== tenants.length) throw new Error('synth workers did not build every tenant');
    return tally;
  }

  /** Stops the workers (a pool that never built cancels its job). */
  public close(): void {
    Atomics.store(this.state, JOB, JOB_CANCELLED);
    Atomics.notify(this.state, JOB);
    for (const { worker, port } of this.workers) {
      port.close();
      void worker.terminate();
    }
  }
}

/**
 * Builds every tenant into `<dir>/tenants/`: in-process for `threads` = 1, else on a pool (the
 * one given, or a new pool of `threads` workers).
 */
export async function buildInParallel(
  tenants: readonly TenantSpec[],
  settings: PlatformSettings,
  dir: string,
  threads: number,
  pool?: SynthPool,
): Promise<Tally> {
  if (threads <= 1 && pool === undefined) return buildInProcess(tenants, settings, writeTenantFiles(dir));
  const own = pool ?? SynthPool.start(threads);
  try {
    return await own.build(tenants, settings, dir);
  } finally {
    if (own !== pool) own.close();
  }
}

/** Sums tallies; kinds come out sorted by name, whatever the order the threads finished in. */
export function mergeTallies(tallies: readonly Tally[]): Tally {
  const sum: Record<string, number> = {};
  let objectCount = 0;
  let tenantCount = 0;
  for (const t of tallies) {
    for (const [kind, n] of Object.entries(t.kinds)) sum[kind] = (sum[kind] ?? 0) + n;
    objectCount += t.objectCount;
    tenantCount += t.tenantCount;
  }
  const kinds: Record<string, number> = {};
  for (const kind of Object.keys(sum).sort()) kinds[kind] = sum[kind];
  return { kinds, objectCount, tenantCount };
}

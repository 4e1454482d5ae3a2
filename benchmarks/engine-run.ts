/**
 * One engine configuration of the engine benchmark, in its own process (the backend is chosen
 * once per process): times training steps of the reference networks and prints one JSON line.
 * Usage: node dist/benchmarks/engine-run.js --backend wasm|webgpu|cpu|tensorflow [--threads N]
 *        [--nets cnn,lm] [--steps N] [--seconds S] [--warmup N] [--profile N]
 */
import { parseArgs } from 'node:util';
import { initEngine, parseBackendChoice } from '../src/engine/backend.js';
import { buildNet, referenceNets, type NetName } from './engine-nets.js';
import { median, type NetTiming, type RunResult } from './engine-timing.js';
import { profileSteps } from './kernel-profile.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string' },
    nets: { type: 'string', default: 'cnn,lm' },
    steps: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    profile: { type: 'string', default: '0' },
    detail: { type: 'boolean', default: false },
  },
});

const info = await initEngine(parseBackendChoice(values.backend!), values.threads === undefined ? {} : { threads: Number(values.threads) });
const refs = referenceNets();
const nets: NetTiming[] = [];
for (const name of values.nets!.split(',') as NetName[]) {
  const net = buildNet(name, refs);
  let loss = NaN;
  let firstLoss: number | undefined;
  for (let i = 0; i < Number(values.warmup); i++) {
    loss = net.step();
    firstLoss ??= loss;
  }
  // At least `steps` steps, unless `seconds` run out first (the cpu backend takes minutes per step).
  const stepMs: number[] = [];
  const stepCpuMs: number[] = [];
  const deadline = performance.now() + Number(values.seconds) * 1000;
  while (stepMs.length < Number(values.steps) && (stepMs.length === 0 || performance.now() < deadline)) {
    const [start, startCpu] = [performance.now(), process.cpuUsage()];
    loss = net.step();
    firstLoss ??= loss;
    const cpu = process.cpuUsage(startCpu);
    stepMs.push(performance.now() - start);
    stepCpuMs.push((cpu.user + cpu.system) / 1000);
  }
  const profile = Number(values.profile) > 0 ? profileSteps(info.backend, () => net.step(), Number(values.profile), values.detail) : undefined;
  nets.push({ net: name, params: net.params, itemsPerStep: net.itemsPerStep, stepMs, stepCpuMs, perSecond: (net.itemsPerStep * 1000) / median(stepMs), lastLoss: loss, ...(firstLoss === undefined ? {} : { firstLoss }), ...(profile ? { profile } : {}) });
  net.dispose();
}
const result: RunResult = { backend: info.backend, threads: info.threads, reason: info.reason, ...(info.deviceLabel ? { device: info.deviceLabel } : {}), nets };
console.log(JSON.stringify(result));

import { describe, expect, it } from 'vitest';
import { deviceName, deviceTime } from '../../src/report/numbers.js';

describe('device time labels', () => {
  it('names a device kind by its class, whatever adapter it names', () => {
    expect(deviceName('gpu')).toBe('GPU');
    expect(deviceName('gpu (NVIDIA GeForce RTX 4090)')).toBe('GPU');
    expect(deviceName('cpu (software Vulkan, mesa: llvmpipe (LLVM 15.0.6, 256 bits))')).toBe('CPU');
    expect(deviceName('tpu')).toBe('tpu');
  });

  it('adds up the time of kinds of one class: a WebGPU device is GPU-hours, a software adapter CPU-hours', () => {
    const seconds = { 'gpu (NVIDIA GeForce RTX 4090)': 1800, gpu: 1800, 'cpu (software Vulkan, mesa: llvmpipe)': 7200, none: 3 };
    expect(deviceTime(seconds, 'hours')).toBe('2.00 CPU-hours + 1.00 GPU-hours + no device (table lookup, 3.0 s)');
  });
});

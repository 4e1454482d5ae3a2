import { describe, expect, it } from 'vitest';
import { adapterDeviceKind, summarizeAdapter } from '../../src/engine/webgpu-adapter.js';

// What Dawn reported on the development machine (Mesa 25.0.7 from bookworm-backports), and the
// forms a GPU and SwiftShader take.
const LAVAPIPE = {
  vendor: 'mesa',
  architecture: 'software',
  device: 'llvmpipe-llvm-15-0-6-256-bits-',
  description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1',
  isFallbackAdapter: true,
};
const GLES_LLVMPIPE = { vendor: '', architecture: '', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 25.0.7-2~bpo12+1', isFallbackAdapter: false };
const NVIDIA = { vendor: 'nvidia', architecture: 'ada', device: '', description: 'NVIDIA GeForce RTX 4090', isFallbackAdapter: false };
const SWIFTSHADER = { vendor: 'google', architecture: '', device: 'swiftshader-device-subzero', description: 'SwiftShader Device (Subzero)' };

describe('summarizeAdapter', () => {
  it('tells a software rasteriser from a GPU', () => {
    expect(summarizeAdapter(LAVAPIPE, 'default').software).toBe(true);
    expect(summarizeAdapter(GLES_LLVMPIPE, 'opengles').software).toBe(true);
    expect(summarizeAdapter(SWIFTSHADER, 'default').software).toBe(true);
    expect(summarizeAdapter(NVIDIA, 'default').software).toBe(false);
  });

  it('stores a GPU as GPU time and a software adapter as CPU time, each with its name', () => {
    expect(adapterDeviceKind(summarizeAdapter(NVIDIA, 'default'))).toBe('gpu (NVIDIA GeForce RTX 4090)');
    const api = process.platform === 'linux' ? 'Vulkan' : 'the platform API';
    expect(adapterDeviceKind(summarizeAdapter(LAVAPIPE, 'default'))).toBe(`cpu (software ${api}, mesa: llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1)`);
    expect(adapterDeviceKind(summarizeAdapter(GLES_LLVMPIPE, 'opengles'))).toBe('cpu (software OpenGL ES, OpenGL version OpenGL ES 3.2 Mesa 25.0.7-2~bpo12+1)');
  });
});

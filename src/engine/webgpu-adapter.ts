/**
 * What a WebGPU adapter is, from what Dawn reports about it: pure functions, no GPU needed.
 */

/** The fields of GPUAdapterInfo that say what the device is. */
export interface AdapterFacts {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** Dawn marks CPU-type devices (lavapipe, SwiftShader) as fallback adapters. */
  readonly isFallbackAdapter?: boolean;
}

/** How Dawn reached the adapter: its default backend (Vulkan on Linux), or OpenGL ES on Mesa. */
export type DawnRoute = 'default' | 'opengles';

export interface AdapterSummary {
  /** A software rasteriser running on the CPU, not a GPU. */
  readonly software: boolean;
  /** Vendor and name, e.g. "NVIDIA GeForce RTX 4090" or "mesa: llvmpipe (LLVM 15.0.6, 256 bits)". */
  readonly name: string;
  /** Dawn's route in words: "Vulkan" (or the platform's default API), "OpenGL ES". */
  readonly api: string;
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|softpipe|software/i;

export function summarizeAdapter(facts: AdapterFacts, route: DawnRoute): AdapterSummary {
  const software =
    facts.isFallbackAdapter === true ||
    facts.architecture.toLowerCase() === 'software' ||
    SOFTWARE.test(facts.device) ||
    SOFTWARE.test(facts.description);
  const label = (facts.description || facts.device || 'unnamed adapter').trim();
  const vendor = facts.vendor.trim();
  return {
    software,
    name: vendor && !label.toLowerCase().startsWith(vendor.toLowerCase()) ? `${vendor}: ${label}` : label,
    api: route === 'opengles' ? 'OpenGL ES' : process.platform === 'linux' ? 'Vulkan' : 'the platform API',
  };
}

/**
 * The device kind stored with every evaluation: its class and the adapter's name, e.g.
 * "gpu (NVIDIA GeForce RTX 4090)". A software adapter computes on the CPU, so its time is
 * CPU time and is reported as CPU-hours: "cpu (software Vulkan, mesa: llvmpipe …)".
 */
export function adapterDeviceKind(summary: AdapterSummary): string {
  return summary.software ? `cpu (software ${summary.api}, ${summary.name})` : `gpu (${summary.name})`;
}

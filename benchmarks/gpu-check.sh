#!/usr/bin/env bash
# The GPU check, for a host with a GPU, after `npm ci`: reports the WebGPU adapter Dawn finds,
# runs the WebGPU kernel tests on it, times one cnn-micro and one rnn-cell training step on webgpu
# against wasm (and PyTorch where python3 has it), and writes results/gpu.md. Takes under five
# minutes on one GPU. Exit status 1 if a kernel test failed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/benchmarks/gpu-check.js ] || npm run build >/dev/null
report="$(mktemp -d)/webgpu-kernels.json"
trap 'rm -rf "$(dirname "$report")"' EXIT
echo "== WebGPU kernel tests"
npx vitest run test/engine/webgpu-kernels.test.ts --reporter=dot --reporter=json --outputFile.json="$report" || true
echo "== one training step per network"
node dist/benchmarks/gpu-check.js --kernel-tests "$report"

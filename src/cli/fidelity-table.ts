import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../harness/package-root.js';
import type { FidelityTable } from '../report/preset-fidelity.js';

/** Written by benchmarks/proxy-fidelity from its committed measurements, shipped with the package. */
export const FIDELITY_FILE = join(PACKAGE_ROOT, 'results', 'proxy-fidelity.json');

/** The presets section of the committed results; empty when the file is absent (nothing measured). */
export function loadFidelityTable(file = FIDELITY_FILE): FidelityTable {
  if (!existsSync(file)) return {};
  const data = JSON.parse(readFileSync(file, 'utf8')) as { presets?: FidelityTable };
  return data.presets ?? {};
}

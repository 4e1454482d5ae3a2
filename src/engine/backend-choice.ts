import { UserError } from '../errors.js';

/** The engine backends a user can ask for; kept apart from backend.ts so checking a name loads no TensorFlow.js. */
export type BackendChoice = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/** `--backend` (or NASBENCH_BACKEND): checked for every task, tabular ones included, so no bad name is stored. */
export function parseBackendChoice(text: string): BackendChoice {
  const choice = text.trim().toLowerCase();
  if ((BACKEND_CHOICES as readonly string[]).includes(choice)) return choice as BackendChoice;
  throw new UserError(`--backend '${text}': expected one of ${BACKEND_CHOICES.join(', ')}`);
}

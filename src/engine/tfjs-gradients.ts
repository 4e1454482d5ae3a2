import { register } from 'node:module';
// Chained ops (x.pad(…), x.square()) are declared on Tensor by this module's type augmentations.
import type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';

/**
 * Registers every gradient and chained op of TensorFlow.js into the one tfjs-core every backend
 * plugs into, without the `@tensorflow/tfjs` umbrella package (layers, converter, data, webgl and
 * core-js, over 200 MB installed, which nasbench never uses).
 *
 * tfjs-core's Node entry point registers no gradients; its registration modules exist only as
 * ES modules with extensionless imports (`./gradients/Abs_grad`) in a package that is not marked
 * as ES modules. A module hook lets Node load exactly those files: extensionless relative imports
 * inside tfjs-core's dist/ get their `.js`, and those files load as ES modules. They register into
 * tfjs-core's global registries (shared by every copy of tfjs-core in the process by design), so
 * the gradients serve the engine the backends use.
 */
const HOOKS = `
const CORE = '/@tensorflow/tfjs-core/dist/';
export async function resolve(specifier, context, next) {
  if (context.parentURL?.includes(CORE) && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    try { return await next(specifier + '.js', context); } catch { return next(specifier + '/index.js', context); }
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  return url.includes(CORE) && url.endsWith('.js') ? next(url, { ...context, format: 'module' }) : next(url, context);
}
`;

let loaded: Promise<void> | undefined;

export function registerAllGradients(): Promise<void> {
  return (loaded ??= (async () => {
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js' as string);
    await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js' as string);
  })());
}

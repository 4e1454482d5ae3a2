/**
 * The engine's single entry to TensorFlow.js: tfjs-core with every gradient and chained op
 * registered (tfjs-gradients.ts) and the cpu backend, the one tfjs-core instance that every
 * backend, tfjs-node(-gpu) included, plugs into. Engine code imports `tf` from here.
 */
import '@tensorflow/tfjs-backend-cpu';
import { env } from '@tensorflow/tfjs-core';
import { registerAllGradients } from './tfjs-gradients.js';

await registerAllGradients();

export * from '@tensorflow/tfjs-core';

// In tfjs 4 the PROD flag only silences tfjs's console advice, such as the banner urging Node users
// to install tfjs-node whenever the cpu backend starts: nasbench says itself which backend it chose
// and why, and a banner in the middle of a run's output is noise.
env().set('PROD', true);

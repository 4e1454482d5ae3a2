/**
 * The engine's single entry to TensorFlow.js. tfjs-core alone registers no gradients; loading the
 * @tensorflow/tfjs package registers them all (and the cpu backend) in the one tfjs-core instance
 * that every backend, tfjs-node(-gpu) included, plugs into. Engine code imports `tf` from here.
 */
import '@tensorflow/tfjs';
import { env } from '@tensorflow/tfjs-core';

export * from '@tensorflow/tfjs-core';

// In tfjs 4 the PROD flag only silences tfjs's console advice, such as the banner urging Node users
// to install tfjs-node whenever the cpu backend starts: nasbench says itself which backend it chose
// and why, and a banner in the middle of a run's output is noise.
env().set('PROD', true);

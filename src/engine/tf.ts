/**
 * The engine's single entry to TensorFlow.js. tfjs-core alone registers no gradients; loading the
 * @tensorflow/tfjs package registers them all (and the cpu backend) in the one tfjs-core instance
 * that every backend, tfjs-node(-gpu) included, plugs into. Engine code imports `tf` from here.
 */
import '@tensorflow/tfjs';

export * from '@tensorflow/tfjs-core';

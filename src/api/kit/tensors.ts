import type { Tensorflow } from '../plugin.js';

/**
 * Tensor types, taken from the namespace `ctx.tensorflow()` hands out, so that a method that
 * trains models of its own depends on nothing but `nasbench/api`.
 */
export type Tensor = InstanceType<Tensorflow['Tensor']>;
export type Tensor1D = ReturnType<Tensorflow['tensor1d']>;
export type Tensor2D = ReturnType<Tensorflow['tensor2d']>;
export type Scalar = ReturnType<Tensorflow['scalar']>;
export type Variable = InstanceType<Tensorflow['Variable']>;

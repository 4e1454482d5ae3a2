import type { Tensorflow } from 'nasbench/api';

/** Tensor types, taken from the namespace the harness hands out so that plugins depend on nothing else. */
export type Tensor = InstanceType<Tensorflow['Tensor']>;
export type Tensor1D = ReturnType<Tensorflow['tensor1d']>;
export type Tensor2D = ReturnType<Tensorflow['tensor2d']>;
export type Scalar = ReturnType<Tensorflow['scalar']>;

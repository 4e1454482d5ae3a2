import type { Tensorflow } from 'nasbench/api';

/** Tensor types, taken from the namespace the harness hands out so that plugins depend on nothing else. */
export type Tensor = InstanceType<Tensorflow['Tensor']>;
export type Scalar = ReturnType<Tensorflow['scalar']>;
export type Variable = InstanceType<Tensorflow['Variable']>;

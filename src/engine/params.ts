import * as tf from './tf.js';

/**
 * The trainable (and running-statistics) variables of one network, created in a fixed order from
 * one seed so that the same architecture and seed give the same initial weights on every backend.
 */
let variableCount = 0;

/**
 * tfjs's random ops treat a seed of 0 as no seed (`seed ? seed : Math.random()`), so seed 0 (the
 * default of `train`) would give a different first layer on every run. 0.5 stands in for it:
 * tfjs seeds its generator with the number's string, which no integer seed can equal.
 */
export function tfSeed(seed: number): number {
  return seed === 0 ? 0.5 : seed;
}

export class Params {
  readonly trainable: tf.Variable[] = [];
  private readonly all: tf.Variable[] = [];
  private next = 0;

  constructor(private readonly seed: number) {}

  private add(value: tf.Tensor, trainable: boolean, name: string): tf.Variable {
    // tfjs variable names are global to the process.
    const v = tf.variable(value, trainable, `nasbench_${name}_${variableCount++}`);
    value.dispose();
    this.all.push(v);
    if (trainable) this.trainable.push(v);
    return v;
  }

  /** He-normal initialisation for a ReLU layer with `fanIn` inputs. */
  heNormal(shape: number[], fanIn: number, name = 'w'): tf.Variable {
    return this.add(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', tfSeed(this.seed * 7919 + this.next++)), true, name);
  }

  uniform(shape: number[], limit: number, name = 'w'): tf.Variable {
    return this.add(tf.randomUniform(shape, -limit, limit, 'float32', tfSeed(this.seed * 7919 + this.next++)), true, name);
  }

  zeros(shape: number[], trainable = true, name = 'b'): tf.Variable {
    return this.add(tf.zeros(shape), trainable, name);
  }

  ones(shape: number[], trainable = true, name = 'g'): tf.Variable {
    return this.add(tf.ones(shape), trainable, name);
  }

  /** Number of trainable scalars. */
  count(): number {
    return this.trainable.reduce((n, v) => n + v.size, 0);
  }

  dispose(): void {
    for (const v of this.all) v.dispose();
  }
}

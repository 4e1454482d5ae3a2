import * as tf from './tf.js';
import type { RnnActivation, RnnNode } from '../spaces/rnn-cell.js';

/** The weights of an ENAS/NAO highway cell: W0h for the first node's recurrent input, one W per node. */
export interface HighwayWeights {
  /** [H, 2H]: h_{t−1}·W0h is added to the step's input projection. */
  readonly w0h: tf.Tensor2D;
  /** [H, 2H] each, for nodes 1..12. */
  readonly nodes: readonly tf.Tensor2D[];
}

const ACTIVATIONS: Record<RnnActivation, (x: tf.Tensor2D) => tf.Tensor2D> = {
  tanh: tf.tanh,
  relu: tf.relu,
  identity: (x) => x,
  sigmoid: tf.sigmoid,
};

/** grad ⊙ f′, with f′ written in terms of f's output (the input is not kept). */
function activationGrad(activation: RnnActivation, out: tf.Tensor2D, grad: tf.Tensor2D): tf.Tensor2D {
  switch (activation) {
    case 'tanh':
      return tf.mul(grad, tf.sub(1, tf.square(out)));
    case 'relu':
      return tf.mul(grad, tf.step(out));
    case 'sigmoid':
      return tf.mul(grad, tf.mul(out, tf.sub(1, out)));
    case 'identity':
      return grad;
  }
}

/** What the backward pass needs of one node at one step. */
interface NodeTape {
  /** The state the node read. */
  readonly input: tf.Tensor2D;
  readonly gate: tf.Tensor2D;
  readonly activated: tf.Tensor2D;
  /** f(h) − input. */
  readonly delta: tf.Tensor2D;
}

/** s = p + σ(c) ⊙ (f(h) − p) with [c, h] = pre. */
function highway(input: tf.Tensor2D, pre: tf.Tensor2D, activation: RnnActivation): { state: tf.Tensor2D; tape: NodeTape } {
  const [c, h] = tf.split(pre, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  const gate = tf.sigmoid(c);
  const activated = ACTIVATIONS[activation](h);
  const delta = tf.sub(activated, input) as tf.Tensor2D;
  return { state: tf.add(input, tf.mul(gate, delta)) as tf.Tensor2D, tape: { input, gate, activated, delta } };
}

/**
 * The gradient of one highway node: given ds, returns d(pre) [B, 2H] and the part of dp that does
 * not go through the weights, ds ⊙ (1 − σ).
 */
function highwayGrad(ds: tf.Tensor2D, tape: NodeTape, activation: RnnActivation): { dPre: tf.Tensor2D; dInput: tf.Tensor2D } {
  const dActivated = tf.mul(ds, tape.gate) as tf.Tensor2D;
  const dh = activationGrad(activation, tape.activated, dActivated);
  const dGate = tf.mul(ds, tape.delta);
  const dc = tf.mul(tf.mul(dGate, tape.gate), tf.sub(1, tape.gate));
  return { dPre: tf.concat([dc, dh], 1) as tf.Tensor2D, dInput: tf.sub(ds, dActivated) as tf.Tensor2D };
}

/**
 * Runs the cell over T steps: node 0 is a tanh highway over x_t + h_{t−1}·W0h, node k reads
 * state `prev` through its W, and h_t is the mean of nodes 1..12. Returns every h_t as rows
 * [T·B, H] (the last B rows are the final state).
 *
 * The backward pass is written out (truncated BPTT over the T steps): autodiff would record
 * about 27 kernels per node and step and one small weight-gradient product per node and step;
 * here a node's step costs about 13 kernels, and each weight's gradient is one product over all
 * T·B rows at the end.
 */
export function highwayCellSequence(nodes: readonly RnnNode[], inputs: tf.Tensor3D, h0: tf.Tensor2D, weights: HighwayWeights): tf.Tensor2D {
  const [steps, batch, twice] = inputs.shape;
  const hidden = twice / 2;
  const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [x, initial, w0h, ...ws] = args.slice(0, -1) as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, ...tf.Tensor2D[]];
    const tapes: NodeTape[][] = [];
    const outputs: tf.Tensor2D[] = [];
    let hPrev = initial;
    for (const xt of tf.unstack(x) as tf.Tensor2D[]) {
      const first = highway(hPrev, tf.add(xt, tf.matMul(hPrev, w0h)) as tf.Tensor2D, 'tanh');
      const states = [first.state];
      const stepTapes = [first.tape];
      nodes.forEach((node, i) => {
        const input = states[node.prev]!;
        const next = highway(input, tf.matMul(input, ws[i]!), node.activation);
        states.push(next.state);
        stepTapes.push(next.tape);
      });
      hPrev = tf.div(tf.addN(states.slice(1)), nodes.length) as tf.Tensor2D;
      outputs.push(hPrev);
      tapes.push(stepTapes);
    }
    // The weights, then four tensors per node in step-major order. (Only what is saved outlives
    // the forward pass, inputs included.)
    save([w0h, ...ws, ...tapes.flatMap((stepTapes) => stepTapes.flatMap((t) => [t.input, t.gate, t.activated, t.delta]))]);
    return {
      value: tf.concat(outputs, 0),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const weightCount = nodes.length + 1;
        const w = saved.slice(0, weightCount) as tf.Tensor2D[];
        return backward(nodes, dy as tf.Tensor2D, saved.slice(weightCount) as tf.Tensor2D[], w, steps, batch, hidden);
      },
    };
  });
  return run(inputs, h0, weights.w0h, ...weights.nodes) as tf.Tensor2D;
}

function backward(
  nodes: readonly RnnNode[],
  dy: tf.Tensor2D,
  saved: tf.Tensor2D[],
  weights: tf.Tensor2D[],
  steps: number,
  batch: number,
  hidden: number,
): tf.Tensor[] {
  const perStep = 4 * (nodes.length + 1);
  const tapeAt = (t: number, k: number): NodeTape => {
    const [input, gate, activated, delta] = saved.slice(t * perStep + 4 * k, t * perStep + 4 * k + 4) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    return { input, gate, activated, delta };
  };
  const dOut = tf.unstack(tf.reshape(dy, [steps, batch, hidden])) as tf.Tensor2D[];
  // Per weight (node 0 first), the rows it saw and the gradients of its products, over all steps.
  const inputsOf: tf.Tensor2D[][] = weights.map(() => []);
  const dPresOf: tf.Tensor2D[][] = weights.map(() => []);
  let dNext: tf.Tensor2D | null = null;
  for (let t = steps - 1; t >= 0; t--) {
    const carried: tf.Tensor2D | null = dNext;
    const result = tf.tidy(() => {
      const dh = carried === null ? dOut[t]! : tf.add(dOut[t]!, carried);
      // The mean hands each of nodes 1..12 an equal share; nodes then pass theirs back to the
      // state they read, which always comes earlier.
      const share = tf.div(dh, nodes.length) as tf.Tensor2D;
      const ds: Array<tf.Tensor2D | null> = [null, ...nodes.map(() => share)];
      const dPres: tf.Tensor2D[] = [];
      for (let k = nodes.length; k >= 0; k--) {
        const tape = tapeAt(t, k);
        const { dPre, dInput } = highwayGrad(ds[k]!, tape, k === 0 ? 'tanh' : nodes[k - 1]!.activation);
        dPres[k] = dPre;
        const dp = tf.add(dInput, tf.matMul(dPre, weights[k]!, false, true)) as tf.Tensor2D;
        if (k === 0) return { dPrev: dp, dPres };
        const prev = nodes[k - 1]!.prev;
        ds[prev] = ds[prev] === null ? dp : (tf.add(ds[prev]!, dp) as tf.Tensor2D);
      }
      throw new Error('unreachable');
    });
    if (carried !== null) carried.dispose();
    dNext = result.dPrev;
    result.dPres.forEach((dPre, k) => {
      dPresOf[k]!.push(dPre);
      inputsOf[k]!.push(tapeAt(t, k).input);
    });
  }
  // Node 0's pre-activation is x_t + h_{t−1}·W0h: its gradient is x_t's, in step order.
  const dInputs = tf.stack([...dPresOf[0]!].reverse());
  const dWeights = weights.map((_, k) => tf.matMul(tf.concat(inputsOf[k]!, 0), tf.concat(dPresOf[k]!, 0), true, false));
  return [dInputs, dNext!, ...dWeights];
}

import { definePlugin } from 'nasbench/api';
import { ENAS_PARAMS } from './params.js';
import { createTabularSearcher } from './tabular.js';

/**
 * ENAS's reinforcement-learning controller (Pham et al. 2018): an LSTM samples an architecture
 * token by token (node inputs by attention over earlier nodes, ops by softmax) and is trained with
 * REINFORCE against a moving-average baseline. Here each sample is rewarded by its own evaluation
 * (a NAS-Bench-201 lookup, or a child trained by the task); rewards from a shared-weight supernet
 * are the part of ENAS still to come.
 */
export default definePlugin({
  name: 'enas',
  description: 'ENAS RL controller: LSTM policy over the space’s tokens, REINFORCE with a moving-average baseline',
  spaces: ['nb201', 'cnn-micro', 'rnn-cell'],
  params: ENAS_PARAMS,
  create: createTabularSearcher,
});

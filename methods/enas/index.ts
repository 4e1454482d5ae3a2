import { definePlugin } from 'nasbench/api';
import { ENAS_PARAMS, resolveMode } from './params.js';
import { createStandaloneSearcher } from './standalone.js';
import { createWeightSharingSearcher } from './weight-sharing.js';

/**
 * ENAS's reinforcement-learning controller (Pham et al. 2018): an LSTM samples an architecture
 * token by token (node inputs by attention over earlier nodes, ops by softmax) and is trained with
 * REINFORCE against a moving-average baseline. On image and text tasks samples are rewarded by a
 * shared-weight supernet (ENAS proper); on NAS-Bench-201, or with mode=standalone, by their own
 * evaluation (NAS-Bench-201's REINFORCE baseline).
 */
export default definePlugin({
  name: 'enas',
  description: 'ENAS RL controller: LSTM policy over the space’s tokens, REINFORCE with a moving-average baseline, over a weight-sharing supernet',
  spaces: ['nb201', 'cnn-micro', 'rnn-cell'],
  params: ENAS_PARAMS,
  // Without a supernet this is not ENAS but REINFORCE with ENAS's controller (NAS-Bench-201's RL baseline).
  label: (params, task) => (resolveMode(params, task.kind) === 'standalone' ? `REINFORCE (ENAS ${params.policy === 'table' ? 'table policy' : 'LSTM controller'})` : 'ENAS'),
  create: (ctx) => {
    const mode = resolveMode(ctx.params, ctx.task.kind);
    if (mode === 'standalone') return createStandaloneSearcher(ctx);
    if (ctx.task.kind === 'tabular') throw new Error(`mode=weight-sharing needs a supernet, and ${ctx.task.name} is a tabular task: use mode=standalone (or auto)`);
    return createWeightSharingSearcher(ctx);
  },
});

import { definePlugin } from 'nasbench/api';
import { NAO_WS_PARAMS } from './params.js';
import { createNaoWsSearcher } from './searcher.js';

/**
 * NAO with weight sharing (Luo et al. 2018, NAO-WS): a supernet is trained on architectures drawn
 * uniformly from a pool, the pool is scored with the shared weights, and NAO's
 * encoder-predictor-decoder, trained on those scores, replaces the bottom of the pool by
 * architectures generated from its top. The evaluations re-rank the best-scored ones by standalone
 * training.
 */
export default definePlugin({
  name: 'nao-ws',
  description: 'NAO with weight sharing: supernet-scored pool renewed by the encoder-predictor-decoder, top re-ranked by standalone training',
  spaces: ['cnn-micro', 'rnn-cell'],
  params: NAO_WS_PARAMS,
  create: createNaoWsSearcher,
});

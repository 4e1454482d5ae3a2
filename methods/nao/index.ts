import { definePlugin } from 'nasbench/api';
import { NAO_PARAMS, effectiveParams, naoLabel } from './params.js';
import { createNaoSearcher } from './searcher.js';

/**
 * Neural Architecture Optimization (Luo et al. 2018): an LSTM encoder maps architectures to a
 * continuous space, an MLP predicts their performance there, and an attention LSTM decoder maps
 * points back to architectures. Each iteration trains the three jointly on everything evaluated,
 * then moves the best architectures' encodings up the predictor's gradient and decodes new ones.
 */
export default definePlugin({
  name: 'nao',
  description: 'Neural Architecture Optimization: encoder-predictor-decoder, gradient steps in the embedding space',
  spaces: ['nb201', 'cnn-micro', 'rnn-cell'],
  params: NAO_PARAMS,
  // Which configuration ran (scaled or paper) and the EPD's size and schedule.
  label: (params) => naoLabel(params),
  // config=paper fixes the EPD's sizes and schedule: stored and reported as they run.
  effectiveParams,
  create: createNaoSearcher,
});

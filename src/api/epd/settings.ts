import type { ParamValues } from '../params.js';
import type { TokenGrammar } from '../space.js';

/**
 * The encoder-predictor-decoder's own parameters (model, training, generation step), shared by the
 * methods that drive the EPD (NAO with standalone scores, NAO-WS with shared-weight ones). Float
 * bounds keep every value where float32 training can work at all; a setting inside them that still
 * diverges fails the run with the reason (training.ts).
 */
export const EPD_PARAMS = {
  eta_step: { type: 'float', default: 1, min: 0, max: 100, doc: 'η grows by this much per step until the iteration has K new architectures (paper: 1)' },
  max_eta_steps: { type: 'int', default: 100, min: 1, max: 10_000, doc: 'Largest η, in steps, before the rest of the iteration is filled with random architectures (paper: 100)' },
  epochs: { type: 'int', default: 15, min: 1, doc: 'EPD training epochs per iteration, continuing from the previous iteration’s weights (paper: 1000)' },
  batch_size: { type: 'int', default: 128, min: 1, doc: 'EPD training batch size; the default takes a tabular run’s whole pool at once (paper: 100)' },
  lr: { type: 'float', default: 0.05, min: 0, max: 1, doc: 'Adam learning rate (paper: 0.001, over 1000 epochs)' },
  weight_decay: { type: 'float', default: 1e-4, min: 0, max: 1, doc: 'L2 penalty added to the gradients (paper: 1e-4)' },
  grad_clip: { type: 'float', default: 5, min: 0, max: 1000, doc: 'Global gradient-norm clip (paper: 5)' },
  trade_off: { type: 'float', default: 0.8, min: 0, max: 1, doc: 'λ in λ·MSE(predictor) + (1−λ)·NLL(decoder) (paper: 0.8)' },
  hidden: { type: 'int', default: 16, min: 1, doc: 'Encoder and decoder LSTM hidden size (paper: 96)' },
  embedding: { type: 'int', default: 8, min: 1, doc: 'Token embedding size (paper: 48)' },
  mlp_layers: { type: 'int', default: 3, min: 0, doc: 'Hidden layers of the predictor MLP (paper: 3)' },
  mlp_hidden: { type: 'int', default: 32, min: 1, doc: 'Width of the predictor MLP (paper: 200)' },
  dropout: { type: 'float', default: 0.1, min: 0, max: 0.99, doc: 'Dropout after each predictor layer (paper: 0.1)' },
  tokens_per_step: { type: 'int', default: 0, min: 0, doc: 'Consecutive tokens the encoder reads per step; 0: 2 for sequences of 20 tokens or more, else 1 (paper: 2 for CIFAR cells)' },
  augment: { type: 'int', default: 1, min: 0, doc: 'Equivalent rewritings (e.g. swapped node branches) added per architecture and epoch' },
} as const;

export type EpdParams = ParamValues<typeof EPD_PARAMS>;

/** What training the EPD and generating from it need. */
export interface EpdSettings {
  /** Best architectures moved along the predictor gradient. */
  readonly topK: number;
  readonly etaStep: number;
  readonly maxEtaSteps: number;
  readonly augment: number;
  readonly model: ModelConfig;
  readonly training: TrainingConfig;
}

export interface ModelConfig {
  readonly length: number;
  readonly vocabSize: number;
  readonly tokensPerStep: number;
  readonly hidden: number;
  readonly embedding: number;
  readonly mlpLayers: number;
  readonly mlpHidden: number;
}

export interface TrainingConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly weightDecay: number;
  readonly gradClip: number;
  readonly tradeOff: number;
  readonly dropout: number;
}

/** The EPD's settings for a space: the model sized to its grammar, the encoder's step width. */
export function resolveEpdSettings(p: EpdParams, topK: number, grammar: TokenGrammar): EpdSettings {
  const tokensPerStep = p.tokens_per_step || (grammar.length >= 20 && grammar.length % 2 === 0 ? 2 : 1);
  if (grammar.length % tokensPerStep !== 0) {
    throw new Error(`tokens_per_step=${tokensPerStep} must divide the space's sequence length ${grammar.length}`);
  }
  return {
    topK,
    etaStep: p.eta_step,
    maxEtaSteps: p.max_eta_steps,
    augment: p.augment,
    model: {
      length: grammar.length,
      vocabSize: grammar.vocabSize,
      tokensPerStep,
      hidden: p.hidden,
      embedding: p.embedding,
      mlpLayers: p.mlp_layers,
      mlpHidden: p.mlp_hidden,
    },
    training: {
      epochs: p.epochs,
      batchSize: p.batch_size,
      lr: p.lr,
      weightDecay: p.weight_decay,
      gradClip: p.grad_clip,
      tradeOff: p.trade_off,
      dropout: p.dropout,
    },
  };
}

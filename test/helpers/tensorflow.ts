import { lazyTensorflow } from '../../src/tasks/engine-options.js';

/** TensorFlow.js as a table-lookup task hands it to a method by default: the cpu backend, started on first use. */
export const loadTensorflow = lazyTensorflow({ backend: 'cpu', threads: null });

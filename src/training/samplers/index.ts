// Public API of the samplers: random search and univariate TPE behind one Sampler interface.
export { checkDistribution } from './check-distribution.js';
export type { ParzenEstimator, ParzenParameters } from './parzen-estimator.js';
export { buildParzenEstimator } from './parzen-estimator.js';
export type { RandomSamplerOptions } from './random-sampler.js';
export { RandomSampler, sampleUniform } from './random-sampler.js';
export type { SampleContext, Sampler } from './sampler.js';
export { drawStream } from './sampler.js';
export { containsValue, singleValue } from './search-space.js';
export type { TpeSamplerOptions } from './tpe-sampler.js';
export { defaultGamma, defaultWeights, TpeSampler } from './tpe-sampler.js';

// Seeded random streams for every module that needs randomness (never Math.random).
export { RandomStream } from '../market/synth/random.js';

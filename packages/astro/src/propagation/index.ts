/** Public API of the propagation module: columnar batch SGP4 and its fast trigonometry. */

export {
  type PreparedFrame,
  SAMPLE_FRAMES,
  type SampleFrame,
  SampleFrameConverter,
} from './sample-frames.js';
export { createStateBatch, propagateBatch, type StateBatch } from './sgp4-batch.js';

/** Public API of the correlation module: tracks, their correlation with a catalog, and UCTs. */
export {
  type CandidateScore,
  CORRELATION_AMBIGUITY_MARGIN,
  CORRELATION_GATE_PROBABILITY,
  CORRELATION_GRID_STEP_S,
  type CorrelationOptions,
  type CorrelationReason,
  type CorrelationResult,
  correlateTracks,
  correlateTracksNaive,
  initialOrbitsForUcts,
  summariseCorrelations,
  type TrackCorrelation,
  type UctCandidate,
  type UctGroup,
  type UctOrbitSolver,
} from './correlate.js';
export {
  defaultTleErrorModel,
  TLE_ERROR_DEEP_SPACE,
  TLE_ERROR_NEAR_EARTH,
  type TleErrorCoefficients,
  type TleErrorModel,
} from './tle-error.js';
export { groupTracks, TRACK_MAX_GAP_S, type Track, type TrackGroupingOptions } from './track.js';
export {
  type PreparedMeasurement,
  type PreparedTrack,
  prepareTrack,
  type StationGcrfAt,
  type StationVelocityGcrfAt,
  scoreTrack,
  type TrackScore,
} from './track-model.js';
export {
  buildUctCandidates,
  UCT_FIT_PROBABILITY,
  UCT_GATE_INFLATION,
  UCT_GATE_PROBABILITY,
  UCT_MIN_TRACKS,
  type UctCandidateOptions,
  type UctCandidateResult,
  type UctObjectCandidate,
  type UctSingleTrack,
  type UctTrackOrbit,
} from './uct-candidates.js';

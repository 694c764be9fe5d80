/** Catalog sync: CelesTrak GP and Space-Track clients, the request limiter, and `syncCatalog`. */
export {
  CELESTRAK_ACTIVE,
  CELESTRAK_BASE_URL,
  CELESTRAK_DEFAULT_FORMAT,
  CELESTRAK_FORMATS,
  CELESTRAK_QUERY_KEYS,
  CelesTrakClient,
  type CelesTrakClientOptions,
  type CelesTrakFormat,
  type CelesTrakQuery,
  type CelesTrakQueryKey,
  type CelesTrakResult,
  celestrakGpUrl,
  celestrakImportName,
  classifyCelesTrakBody,
} from './celestrak.js';
export {
  HOSHIMI_SYNC_VERSION,
  HOSHIMI_USER_AGENT,
  parseRetryAfter,
  type SyncHttpOptions,
  type SyncHttpStats,
  type SyncLogEvent,
  type SyncService,
} from './polite-http.js';
export {
  type RateLimiterOptions,
  type RateWindow,
  SlidingWindowLimiter,
  SPACETRACK_RATE_LIMITS,
} from './rate-limiter.js';
export {
  SPACETRACK_BASE_URL,
  SPACETRACK_FORMATS,
  SPACETRACK_WINDOW_MARGIN_MS,
  SpaceTrackClient,
  type SpaceTrackClientOptions,
  type SpaceTrackFormat,
  type SpaceTrackGpQuery,
  type SpaceTrackHistoryQuery,
  type SpaceTrackResponse,
  spaceTrackGpPaths,
  spaceTrackHistoryPaths,
} from './spacetrack.js';
export {
  type CelesTrakSyncOptions,
  type SpaceTrackSyncOptions,
  type SyncCatalogOptions,
  type SyncDelivery,
  type SyncProblem,
  type SyncSink,
  type SyncSummary,
  syncCatalog,
} from './sync-catalog.js';
export { SYSTEM_SYNC_CLOCK, type SyncClock } from './sync-clock.js';
export { SYNC_ERROR_CODES, SyncError, type SyncErrorCode } from './sync-error.js';

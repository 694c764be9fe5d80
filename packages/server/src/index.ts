/** @hoshimi/server: the HTTP API over a catalog store. */
export { buildServer, type ServerOptions } from './app.js';
export { CSRF_HEADER, SESSION_COOKIE } from './auth/authenticate.js';
export {
  addOrganisation,
  addUser,
  changeUser,
  issueToken,
  revokeToken,
} from './auth/identity-service.js';
export { SCOPES, type Scope } from './auth/policy.js';
export { type Principal, ROLES, type Role } from './auth/principal.js';
export { caseReportHtml, type ReportLanguage } from './cases/case-report.js';
export {
  CASE_EXPORT_KIND,
  CaseServiceError,
  caseJson,
  exportCase,
  NO_VERDICT_STATEMENT,
  openCaseFromConjunction,
  openCaseFromEvent,
  verifyCaseExport,
} from './cases/case-service.js';
export { ApiError, type ErrorBody, errorBody } from './errors.js';
export * from './exchange/bundle.js';
export { buildExchangeListener, type ExchangeTls } from './exchange/exchange-listener.js';
export {
  DEFAULT_BUNDLE_ITEMS,
  ExchangeService,
  type ExchangeServiceOptions,
  type ReceiveAnswer,
} from './exchange/exchange-service.js';
export { type SyncOptions, type SyncReport, syncWithPartner } from './exchange/exchange-sync.js';
export { type MarkedElementSet, markingOfElementSet } from './exchange/marking-of-element-set.js';
export {
  defaultKeyPath,
  loadNodeIdentity,
  loadNodeKey,
  type NodeIdentity,
  publicKeyPem,
} from './exchange/node-identity.js';
export * from './exchange/protocol.js';
export { makeNodePki, makeSiblingCert, type NodePki } from './exchange/test-pki.js';
export { certificateFingerprint, normaliseFingerprint } from './exchange/tls-peer.js';
export { checkJobParams, JOB_PARAM_SCHEMAS } from './jobs/executors.js';
export { InProcessJobRunner, type JobContext, JobError, type JobExecutor } from './jobs/in-process-runner.js';
export type { JobServiceOptions } from './jobs/job-service.js';
export type {
  JobCounts,
  JobKind,
  JobListOptions,
  JobObserver,
  JobProgress,
  JobRecord,
  JobRunner,
  JobRunnerCloseOptions,
  JobSpec,
  JobState,
} from './jobs/job-types.js';
export {
  isLogLevel,
  LOG_LEVELS,
  type LogLevel,
  type LogOptions,
  REDACT_PATHS,
  serverLogOptions,
} from './ops/logging.js';
export { HTTP_BUCKETS_S, JOB_BUCKETS_S, ServerMetrics } from './ops/metrics.js';
export { buildMetricsListener, type MetricsListenerOptions } from './ops/metrics-listener.js';
export {
  type CheckOutcome,
  READINESS_CHECK_TIMEOUT_MS,
  Readiness,
  type ReadinessCheck,
  type ReadinessReport,
} from './ops/readiness.js';
export { type DrainOptions, drainServer } from './ops/shutdown.js';
export { SERVER_VERSION } from './version.js';
export { alertsFromScreening, materialChange } from './watch/alerts.js';
export { WatchScheduler } from './watch/scheduler.js';
export { postWebhook, type WebhookDelivery, type WebhookOptions } from './watch/webhook.js';

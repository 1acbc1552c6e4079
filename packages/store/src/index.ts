export {
  type CopyResult,
  copySqliteToPostgres,
  type EventsNotice,
  inboxClosedOf,
  isPostgresUrl,
  type LiveEventRow,
  type LiveListeners,
  type LivePermission,
  migratePostgres,
  type NewLiveEvent,
  type OpenPostgresOptions,
  openPostgresStore,
  type PostgresLive,
  type PostgresStore,
  pendingPostgresMigrations,
  type RunControlSent,
  redactDatabaseUrl,
} from './database.js'
export {
  ConflictError,
  CycleError,
  DependencyNotDoneError,
  InvalidTransitionError,
  LeaseLostError,
  NotFoundError,
  PlanError,
  StoreError,
  type StoreErrorCode,
  UnusableDatabaseError,
  ValidationError,
} from './errors.js'
export { asAsyncStore } from './faces.js'
export { migrateSqlite } from './open.js'
export { resolveDbPath } from './paths.js'
export { validatePlan } from './plan-validation.js'
export * from './session-types.js'
export { openStore } from './store.js'
export * from './token-types.js'
export { hashToken, MIN_PROVISIONED_TOKEN, TOKEN_PREFIX } from './tokens.js'
export { canTransition, TASK_TRANSITIONS } from './transitions.js'
export * from './types.js'

/** This package's version, reported as the instrumentation scope version. */
export const TELEMETRY_VERSION = '0.1.0'

/** The typed library API of dvcts: the same operations as the CLI. */
export { init, type InitResult } from './init.js';
export { repro, type ReproOptions } from './repro.js';
export { status, type StageStatus, type StatusOptions, type StatusResult } from './status.js';
export { dag, type DagNode } from './dag.js';
export { openProject, type OpenProject } from './open-project.js';
export { metricsShow, type MetricsFile } from './metrics.js';
export { add } from './add.js';
export { checkout } from './checkout.js';
export { diff, type DiffResult } from './diff.js';
export { gc } from './gc.js';
export { fsck, type FsckResult } from './fsck.js';
export { install } from './install.js';
export { unprotect } from './unprotect.js';
export type { RunEvent, FailureInfo } from '../scheduler/events.js';
export type { StaleReason } from '../lockfile/stale.js';
export { DvctsError, DiagnosticsError, ExitCode } from '../core/errors.js';
export type { Diagnostic, SourceRange } from '../core/diagnostics.js';
export type { StageSpec, ProjectSpec } from '../core/spec.js';

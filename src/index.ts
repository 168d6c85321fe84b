/**
 * forensics: turn the logs collected after a Kubernetes/Linux incident into causal chains with evidence.
 *
 * @packageDocumentation
 */
export { analyze, VERSION, type AnalyzeOptions, type AnalyzeProgress, type AnalyzeResult } from './analyze.js';
export type { Report, InputSummary, Finding, FindingStep, ReportMeta } from './model/report.js';
export type { LogEvent, KlogHeader, FormatId, InputWarning } from './model/event.js';
export type { TimeQuality } from './model/time.js';
export type { Severity } from './model/severity.js';
export { ForensicsError, RuleError, type ErrorCode, type RuleDiagnostic } from './model/errors.js';
export { EventStore, type EventQuery } from './store/event-store.js';
export { renderText, type TextOptions } from './report/text.js';

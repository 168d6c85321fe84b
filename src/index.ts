/**
 * forensics: turn the logs collected after a Kubernetes/Linux incident into causal chains with evidence.
 *
 * Every stage of the pipeline is usable on its own:
 * {@link openInputs} → {@link parse} (or {@link ingest}) → {@link EventStore} → {@link runRules} →
 * {@link renderReport}; {@link analyze} runs them all. The package is ESM; on Node ≥ 20.19 it can also
 * be loaded with `require()` (see docs/api.md). Importing it has no side effects.
 *
 * @packageDocumentation
 */

// Whole pipeline
export { analyze, VERSION, type AnalyzeOptions, type AnalyzeProgress, type AnalyzeResult } from './analyze.js';

// Inputs and parsing
export { openInputs, inputFromText, type InputHandle, type OpenInputsOptions, type OpenedInputs, type TextInputOptions } from './api/inputs.js';
export {
  parse,
  type ParseOptions,
  type ParseProgress,
  type ParsedRecord,
  type LineRecord,
  type GoroutineDumpRecord,
  type GoroutineBucketRecord,
  type GoroutineBucketInfo,
  type EndRecord,
} from './api/parse.js';
export { listFormats, type FormatInfo } from './api/formats.js';
export {
  parseGoroutineDump,
  parseGoroutineDumpSync,
  bucketTopFunc,
  bucketStateLabel,
  type GoFrame,
  type Goroutine,
  type GoroutineBucket,
  type GoroutineDump,
  type GoroutineDumpHeader,
  type GoroutineAssemblerOptions,
} from './parsers/goroutine/index.js';

// Events, store and the rule engine
export type { LogEvent, KlogHeader, FormatId, InputWarning } from './model/event.js';
export type { TimeQuality } from './model/time.js';
export { EventStore, type EventQuery } from './store/event-store.js';
export {
  ingest,
  runRules,
  Coverage,
  type IngestOptions,
  type IngestProgress,
  type IngestResult,
  type RunRulesOptions,
  type RunRulesResult,
  type NearMiss,
} from './api/engine.js';
export { loadRules, readRuleFiles, parseRuleText, type LoadRulesOptions, type RuleSource } from './rules/loader.js';
export { checkRules } from './rules/check.js';
export { checkRuleFiles, type RuleCheckResult } from './api/rules.js';
export { testRules, type RuleTestResult } from './rules/self-test.js';
export type {
  Rule,
  LoadedRule,
  SignatureRule,
  SignatureExample,
  FindingRule,
  ChainRule,
  SingleRule,
  AbsenceRule,
  ClassifierRule,
  LookupRule,
  ChainStep,
  StepAfter,
  RuleExamples,
} from './rules/types.js';

// Reports
export type { Report, InputSummary, Finding, FindingStep, ReportMeta } from './model/report.js';
export { SEVERITIES, severityRank, isSeverity, type Severity } from './model/severity.js';
export {
  renderReport,
  REPORT_FORMATS,
  renderText,
  renderMarkdown,
  renderHtml,
  filterReport,
  createProgress,
  type ReportFormat,
  type RenderOptions,
  type TextOptions,
  type MarkdownOptions,
  type HtmlOptions,
  type ReportFilter,
  type Progress,
  type ProgressOptions,
  type ProgressUpdate,
  type TimelineEntry,
} from './report/index.js';
export { isValidZone } from './report/common.js';
export { regress, type RegressOptions, type IncidentResult } from './regress/run.js';
export { toJUnit } from './regress/junit.js';
export type { Difference } from './regress/expected.js';

// Errors
export { ForensicsError, RuleError, formatDiagnostic, type ErrorCode, type RuleDiagnostic } from './model/errors.js';
export { InputError, AbortedError, UsageError, isForensicsError } from './api/errors.js';

// Timeline and clock skew
export { timeline, type TimelineOptions } from './timeline.js';
export { estimateSkew, correctSkew, type ClockSkew } from './correlators/skew.js';
export type { ClockSkewEstimate } from './model/report.js';

// Support bundles (archives, kubectl dumps)
export { forEachMember, isArchiveInput, isTarHead, expandInputs, memberLayout, sosreportHost } from './bundles/index.js';
export type { ArchiveSource, ArchiveStats, ExpandOptions, BundleKind, MemberLayout } from './bundles/index.js';

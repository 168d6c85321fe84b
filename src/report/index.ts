/**
 * Report renderers: text for a terminal, Markdown for a post-incident review draft, one self-contained
 * HTML page with a swimlane timeline, and JSON (the `--json` contract).
 */
import type { Report } from '../model/report.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

export type ReportFormat = 'text' | 'markdown' | 'html' | 'json';

/** Options shared by the renderers; each uses the ones that apply to it. */
export interface RenderOptions {
  /** ANSI colours (text only). */
  color?: boolean;
  /** Columns every line must fit (text only; default 100). */
  width?: number;
  /** IANA zone for local times in text/markdown/html (UTC default); shown beside UTC in text. */
  displayTz?: string;
  /** Zone per host: text shows UTC and the host's local time. */
  hostTz?: Record<string, string>;
  title?: string;
}

/** The report formats, for CLI validation. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'markdown', 'html', 'json'];

/** Renders `report` in `format`; the result ends with a newline. */
export function renderReport(report: Report, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'text':
      return renderText(report, options);
    case 'markdown':
      return renderMarkdown(report, { displayTz: options.displayTz, title: options.title });
    case 'html':
      return renderHtml(report, { displayTz: options.displayTz, title: options.title });
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    default: {
      const never: never = format;
      throw new TypeError(`unknown report format: ${String(never)}`);
    }
  }
}

export { renderText, type TextOptions } from './text.js';
export { renderMarkdown, type MarkdownOptions } from './markdown.js';
export { renderHtml, type HtmlOptions } from './html.js';
export { filterReport, type ReportFilter } from './filter.js';
export { createProgress, type Progress, type ProgressOptions, type ProgressUpdate } from './progress.js';
export type { TimelineEntry } from './common.js';

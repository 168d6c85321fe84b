import type { FormatId, LogEvent } from '../model/event.js';

/** What a parser knows about the input it reads. */
export interface ParseContext {
  /** File as it appears in evidence (relative to the argument it was found under). */
  file: string;
  /** Host for lines whose format has no hostname field (folder name or `--host`); undefined when unknown. */
  host: string | undefined;
  /** Year assumed for year-less timestamps (RFC3164, klog, journal short). */
  year: number;
  /** IANA zone assumed for zone-less timestamps. */
  tz: string;
  /** Reports a problem at a line of this input. */
  warn(line: number, message: string): void;
}

/** A stateful reader of one input's lines, made by {@link FormatParser.create}. */
export interface LineParser {
  /**
   * Feeds one physical line (line end removed). Completed events go to the `emit` callback given at
   * creation (a multi-line record is emitted when its last line is known). Returns false when the
   * line was not understood; it is then counted in the input's `unparsed`.
   */
  line(text: string, lineNo: number, offset: number): boolean;
  /** End of input: flush any pending multi-line record. */
  end(): void;
}

/** A real line of the format with what it must parse into; checked by the tests (as lnav's samples). */
export interface FormatSample {
  line: string;
  /** Expected UTC time (ISO) under the sample context (year 2026, zone UTC), when the line has one. */
  time?: string;
  host?: string;
  program?: string;
  msg?: string;
}

/** One source format: detection from content, and a factory for line parsers. */
export interface FormatParser {
  readonly id: FormatId;
  /** One sentence shown by `forensics formats`. */
  readonly description: string;
  /**
   * Fraction (0..1) of the given first non-empty lines of a file this format understands.
   * Detection picks the highest score; ties go to the parser listed first in the registry.
   */
  detect(lines: readonly string[]): number;
  create(ctx: ParseContext, emit: (event: LogEvent) => void): LineParser;
  readonly samples: readonly FormatSample[];
}

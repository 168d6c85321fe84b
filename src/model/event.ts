import type { TimeQuality } from './time.js';

/** Identifier of a source format, as detected from content. */
export type FormatId =
  | 'syslog'
  | 'kern.log'
  | 'dmesg'
  | 'journal'
  | 'journal-json'
  | 'journal-export'
  | 'goroutine'
  | 'applog'
  | 'cri'
  | 'klog'
  | 'kernel-text'
  | 'kube-objects'
  | 'prometheus'
  | 'unknown'
  | (string & {});

/** A klog header (`I0528 20:21:04.123456    1234 file.go:111] msg k="v"`), parsed from a message. */
export interface KlogHeader {
  /** I, W, E or F. */
  severity: 'I' | 'W' | 'E' | 'F';
  /** Source file of the log call, e.g. `taint_eviction.go`. */
  file: string;
  /** Source line of the log call. */
  line: number;
  /** Thread/process id printed in the header. */
  pid: number;
  /** Message text; for structured logs the quoted message without quotes. */
  msg: string;
  /** Structured `key="value"` / `key=value` pairs, unescaped. */
  kv: Record<string, string>;
  /** Month and day and time from the header, as printed (`0528 20:21:04.123456`). */
  stamp: string;
}

/**
 * One line (or multi-line record) of a log, placed on the timeline.
 *
 * Events are created by parsers for every understood line, but only events that a signature
 * classifies (those with a `kind`) are kept in the {@link EventStore}; the rest are counted.
 */
export interface LogEvent {
  /** UTC microseconds since the Unix epoch; NaN when the line has no usable time. */
  ts: number;
  /** How far `ts` can be trusted. */
  quality: TimeQuality;
  /** Resolution of `ts` in microseconds (1e6 for syslog's whole seconds, 1 for klog). */
  precision: number;
  /** Host that wrote the line. */
  host: string;
  /** Input file, relative to the path given on the command line (archive members as `a.tgz!/inner`). */
  file: string;
  /** 1-based line number in the (decompressed) input; the first line of a multi-line record. */
  line: number;
  /** Number of physical lines in this record (1 for ordinary lines). */
  lines: number;
  /** Byte offset of the line in the decompressed input. */
  offset: number;
  /** Format of the input that produced this event. */
  format: FormatId;
  /** The raw line as read (without the line end); multi-line records joined with `\n`. */
  text: string;
  /** The message after the format's header (program, pid and time removed). */
  msg: string;
  /** Program / syslog identifier (`kernel`, `microk8s.daemon-kubelite`, `iscsid`). */
  program?: string;
  /** Process id of the writer, when the format has one. */
  pid?: number;
  /** Kernel monotonic seconds since boot, when the line carries them. */
  mono?: number;
  /** Syslog severity 0-7 when known. */
  priority?: number;
  /** Parsed klog header, when the message has one. */
  klog?: KlogHeader;
  /** Signature kind set by classification (e.g. `iscsi.conn_error`). */
  kind?: string;
  /** Named captures of the classifying signature. */
  captures?: Record<string, string | number>;
  /** Format- or decoder-specific structured data (goroutine buckets, snapshots, ...). */
  data?: Record<string, unknown>;
}

/** A warning about one place of one input. */
export interface InputWarning {
  /** 1-based line number, or 0 for the whole input. */
  line: number;
  message: string;
}

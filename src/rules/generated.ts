/** Event kinds made by the pipeline itself rather than by signatures, with their captures. */
export const GENERATED_EVENTS: Readonly<Record<string, Readonly<Record<string, 'string' | 'number'>>>> = {
  /** Every input of a host silent for a long time (outage or missing logs). */
  'host.log_gap': { minutes: 'number', until: 'string' },
  /** A file's clock stepped back by more than a minute. */
  'host.clock_jump': { seconds: 'number' },
};

const MONTHS: Record<string, number> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};

/** `Jan`..`Dec` to 1..12, or 0. */
export function monthNumber(abbrev: string): number {
  return MONTHS[abbrev] ?? 0;
}

/** Absolute path of the checked-in API report. */
export declare const REPORT: string;
/** The API report text for the current sources. */
export declare function apiReport(): string;

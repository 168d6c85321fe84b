import type { FormatId } from '../model/event.js';
import { FORMATS } from '../parsers/registry.js';

/** A supported input format, as `forensics formats` lists it. */
export interface FormatInfo {
  id: FormatId;
  /** One sentence. */
  description: string;
}

/** The supported input formats, in detection order (on equal scores the earlier one wins). */
export function listFormats(): FormatInfo[] {
  return FORMATS.map((f) => ({ id: f.id, description: f.description }));
}

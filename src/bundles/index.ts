export { forEachMember, isArchiveInput, isTarHead, type ArchiveSource, type ArchiveStats } from './archive.js';
export { expandInputs, type ExpandOptions } from './expand.js';
export { memberLayout, sosreportHost, type BundleKind, type MemberLayout } from './layout.js';

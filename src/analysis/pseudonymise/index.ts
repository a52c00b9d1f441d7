/** The pseudonymiser: personal data out before a text leaves the house, back in when the answer returns. */
export { pseudonymise, type PseudonymiseOptions, type PseudonymisedText } from './pseudonymise.js';
export { restore, mapOffset, mapOffsets, restoreEvidence } from './restore.js';
export {
  PLACEHOLDER_PREFIX,
  PLACEHOLDER_PATTERN,
  type PseudonymMapping,
  type PseudonymEntry,
  type PseudonymSpan,
} from './pseudonym-mapping.js';

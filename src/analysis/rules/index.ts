/** The rules analyser and its parts: deterministic, offline, no secrets. */
export { RulesAnalyser, RULES_REVIEW_REASONS, DEFAULT_CONFIDENCE_THRESHOLD } from './rules.analyser.js';
export { DEFAULT_ENTITY_SCHEMA, entityKindForProperty } from './entity-schema.js';
export { classifyByKeywords, scoreLabels, type LabelScore } from './keyword.classifier.js';
export type { EntityMatch, Recogniser } from './entity-match.js';
export {
  RECOGNISERS,
  KIND_PRECEDENCE,
  recogniseCandidates,
  recogniseEntities,
  recogniseKind,
} from './recognisers/index.js';
export { RULE_SET_VERSION, RULES_MODEL, RULES_PROMPT_VERSION } from './rule-set.version.js';

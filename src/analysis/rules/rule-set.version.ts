/**
 * Version of the rule set (recognisers + classifier). Findings name it as their model
 * (`rules-<version>`), so a change in what the rules find must bump it: cached findings of an older
 * rule set are then recognisably stale.
 */
export const RULE_SET_VERSION = '1.0.0';

/** Model name the rules analyser reports in findings. */
export const RULES_MODEL = `rules-${RULE_SET_VERSION}`;

/** Counterpart of an LLM prompt version: the rules' task interpretation (schema mapping, thresholds). */
export const RULES_PROMPT_VERSION = 'rules-1';

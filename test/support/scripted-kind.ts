import type { ProviderKind } from '../../src/analysis/providers/provider-kinds.js';
import type { ModelAnswer, ModelEndpoint, StructuredCall } from '../../src/analysis/providers/model-endpoint.js';

/**
 * A tiny provider kind for tests: a "model" that answers in-process, deterministically, from the
 * call alone — it picks the first allowed label, and quotes the first word of the source for every
 * field. It proves that a kind supplies only its transforms: prompts, repair, validation and
 * grounding are the shared loop's. Not registered in the gateway; tests pass it where kinds are asked for.
 */
class ScriptedEndpoint implements ModelEndpoint {
  readonly kind = 'scripted';
  constructor(readonly model: string) {}

  async complete(call: StructuredCall, signal?: AbortSignal): Promise<ModelAnswer> {
    signal?.throwIfAborted();
    const user =
      [...call.messages].reverse().find((m) => m.role === 'user' && m.content.includes('<<<SOURCE-'))?.content ?? '';
    const source = /<<<SOURCE-[0-9a-f]+>>>\n([\s\S]*)\n<<<END-SOURCE-/.exec(user)?.[1] ?? '';
    const word = /[\p{L}\p{N}]+/u.exec(source)?.[0] ?? null;
    const properties = call.output.schema['properties'];
    const shape = typeof properties === 'object' && properties !== null ? properties : {};
    let answer: unknown;
    if ('labels' in shape) {
      const labels = (shape as { labels: { items: { enum: string[] } } }).labels.items.enum;
      answer = { labels: labels.slice(0, 1), confidence: 0.9, rationale: 'scripted' };
    } else {
      const fields = (shape as { fields: { properties: Record<string, unknown> } }).fields.properties;
      answer = {
        fields: Object.fromEntries(Object.keys(fields).map((f) => [f, { value: word, quote: word, confidence: 0.9 }])),
      };
    }
    return { content: JSON.stringify(answer), usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 } };
  }
}

export const scriptedKind: ProviderKind = {
  kind: 'scripted',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: (provider) => new ScriptedEndpoint(provider.model),
};

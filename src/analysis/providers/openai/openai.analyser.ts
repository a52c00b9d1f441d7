import { StructuredAnalyser } from '../../structured/structured-analyser.js';
import { OpenAiEndpoint, type OpenAiEndpointOptions } from './openai.endpoint.js';

/** Settings of the `openai` kind's analyser: its endpoint, and the shared loop's threshold and prompts. */
export interface OpenAiAnalyserOptions extends OpenAiEndpointOptions {
  /** Threshold used when the task gives no `confidenceThreshold`. @defaultValue 0.5 */
  defaultConfidenceThreshold?: number;
  /** Folder with the versioned prompt files. @defaultValue the repository's `prompts/` */
  promptDir?: string;
}

/** The structured analyser on an OpenAI-compatible endpoint: what the `openai` provider kind creates. */
export class OpenAiAnalyser extends StructuredAnalyser {
  constructor(options: OpenAiAnalyserOptions) {
    super({
      providerId: options.providerId,
      endpoint: new OpenAiEndpoint(options),
      ...(options.defaultConfidenceThreshold === undefined
        ? {}
        : { defaultConfidenceThreshold: options.defaultConfidenceThreshold }),
      ...(options.promptDir === undefined ? {} : { promptDir: options.promptDir }),
    });
  }
}

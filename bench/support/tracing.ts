import { arg } from './stats.js';

/**
 * The sampler of a bench's traced run (`--tracing`): every request by default; `--sample 0.1`
 * samples a tenth, parent-based, as an operator would configure it. The OTEL_* variables to add to
 * the gateway's (with the collector's endpoint) and a label for the table.
 */
export function tracedSampler(): { env: Record<string, string>; label: string } {
  const sample = Number(arg('sample', '1'));
  return sample >= 1
    ? { env: { OTEL_TRACES_SAMPLER: 'always_on' }, label: 'every request' }
    : {
        env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(sample) },
        label: `${sample * 100} % sampled`,
      };
}

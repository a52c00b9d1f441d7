/** One readiness check: an async probe that answers ok or why not. */
export type ReadinessCheck = () => Promise<{ ok: boolean; detail?: string }>;

/** How long one readiness check may take before it counts as failed: a probe must answer, not hang. */
const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(check: ReadinessCheck): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<{ ok: boolean; detail?: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: 'no answer' }), CHECK_TIMEOUT_MS);
  });
  return Promise.race([check(), timedOut]).finally(() => clearTimeout(timer));
}

/**
 * Runs every check at once, each bounded in time; a check that throws or hangs is not ok and says
 * only `no answer` (what a client library says — addresses, hosts — is for the log, not a probe).
 */
export async function runReadiness(
  checks: Readonly<Record<string, ReadinessCheck>>,
): Promise<{ ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> }> {
  const results: Record<string, { ok: boolean; detail?: string }> = {};
  await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        results[name] = await withTimeout(check);
      } catch {
        results[name] = { ok: false, detail: 'no answer' };
      }
    }),
  );
  return { ready: Object.values(results).every((r) => r.ok), checks: results };
}

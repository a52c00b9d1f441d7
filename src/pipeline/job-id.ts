import { createHash } from 'node:crypto';

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 26);
}

/**
 * A stable job id per message, so that a resubmitted message finds its existing job.
 * An explicit Idempotency-Key wins over the message id; both are scoped to the tenant so two
 * authorities using the same key never collide.
 */
export function jobIdFor(input: {
  tenant: string;
  idempotencyKey?: string;
  standard?: string;
  messageId?: string;
}): string {
  if (input.idempotencyKey !== undefined && input.idempotencyKey !== '')
    return `k${digest(input.tenant, input.idempotencyKey)}`;
  if (input.messageId !== undefined && input.messageId !== '')
    return `m${digest(input.tenant, input.standard ?? '', input.messageId)}`;
  throw new Error('jobIdFor needs an idempotency key or a message id');
}

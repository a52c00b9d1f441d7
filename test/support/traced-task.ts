/**
 * The task job both tracing tests send: an extraction of a person's name and IBAN from `text`, with
 * a callback when it ends, so that one trace runs from receipt through a model call to a delivery.
 */
export function tracedTaskBody(text: string, callbackUrl: string): string {
  return JSON.stringify({
    task: 'extract',
    text,
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string', 'x-entity': 'person-name' },
        iban: { type: 'string', 'x-entity': 'iban' },
      },
    },
    callbackUrl,
  });
}

import { Ajv2020 } from 'ajv/dist/2020.js';
import { defaultAnswer, startFakeLlm, viewRequest, type FakeLlm } from '../support/fake-llm-server.js';

const classifySchema = {
  type: 'object',
  properties: {
    labels: { type: 'array', items: { type: 'string', enum: ['100', '200', '300'] }, minItems: 1, maxItems: 1 },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    rationale: { type: 'string' },
  },
  required: ['labels', 'confidence', 'rationale'],
  additionalProperties: false,
};

const field = (type: string) => ({
  type: 'object',
  properties: {
    value: { type: [type, 'null'] },
    quote: { type: ['string', 'null'] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
  },
  required: ['value', 'quote', 'confidence'],
  additionalProperties: false,
});
const extractSchema = {
  type: 'object',
  properties: {
    fields: {
      type: 'object',
      properties: { aktenzeichen: field('string'), anzahlGeschosse: field('integer'), bauherr: field('string') },
      required: ['aktenzeichen', 'anzahlGeschosse', 'bauherr'],
      additionalProperties: false,
    },
  },
  required: ['fields'],
  additionalProperties: false,
};

const source =
  'Aktenzeichen: AZ-2024-17\nAnzahl Geschosse: 3\nWir beantragen die Genehmigung zum Abbruch der Scheune. Abbruch bis Mai.';
const user = (labels: string) =>
  `Aufgabe\n\nErlaubte Labels (code: Bezeichnung):\n${labels}\n\n<<<SOURCE-abc>>>\n${source}\n<<<END-SOURCE-abc>>>`;

function chatBody(schema: Record<string, unknown>, labels = ''): Record<string, unknown> {
  return {
    model: 'fake-model',
    messages: [
      { role: 'system', content: 'sys' },
      { role: 'user', content: user(labels) },
    ],
    response_format: { type: 'json_schema', json_schema: { name: 'x', strict: true, schema } },
  };
}

async function post(llm: FakeLlm, body: unknown): Promise<{ status: number; headers: Headers; json: unknown }> {
  const res = await fetch(`${llm.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

/** The first choice's content, checked rather than cast. */
function content(json: unknown): string {
  const choices =
    typeof json === 'object' && json !== null && 'choices' in json && Array.isArray(json.choices) ? json.choices : [];
  const message: unknown =
    typeof choices[0] === 'object' && choices[0] !== null && 'message' in choices[0] ? choices[0].message : undefined;
  return typeof message === 'object' && message !== null && 'content' in message && typeof message.content === 'string'
    ? message.content
    : '';
}

describe('fake LLM server', () => {
  let llm: FakeLlm;
  beforeEach(async () => {
    llm = await startFakeLlm();
  });
  afterEach(async () => {
    await llm.close();
  });

  it('answers classify deterministically, valid against the schema, by label words', async () => {
    const body = chatBody(classifySchema, '- 100: Neubau\n- 200: Abbruch (Rückbau)\n- 300: Nutzungsänderung');
    const r = await post(llm, body);
    expect(r.status).toBe(200);
    const answer: unknown = JSON.parse(content(r.json));
    expect(new Ajv2020().validate(classifySchema, answer)).toBe(true);
    expect(answer).toMatchObject({ labels: ['200'] });
    expect(r.json).toMatchObject({ usage: { total_tokens: expect.any(Number) } });
    expect(llm.calls).toBe(1);
    expect(llm.requests[0]?.body).toEqual(body);
  });

  it('answers extract with exact quotes from the source', () => {
    const answer = defaultAnswer(viewRequest(chatBody(extractSchema)));
    expect(new Ajv2020().validate(extractSchema, answer)).toBe(true);
    expect(answer).toEqual({
      fields: {
        aktenzeichen: { value: 'AZ-2024-17', quote: 'AZ-2024-17', confidence: 0.9 },
        anzahlGeschosse: { value: 3, quote: '3', confidence: 0.9 },
        bauherr: { value: null, quote: null, confidence: 0 },
      },
    });
  });

  it('reads the schema from the system prompt in json_object mode', () => {
    const body = {
      messages: [
        { role: 'system', content: `sys\n\`\`\`json\n${JSON.stringify(classifySchema)}\n\`\`\`` },
        { role: 'user', content: user('- 300: Abbruch') },
      ],
      response_format: { type: 'json_object' },
    };
    expect(defaultAnswer(viewRequest(body))).toMatchObject({ labels: ['300'] });
  });

  it('rejects json_schema with 400 when unsupported', async () => {
    const strictless = await startFakeLlm({ supportsJsonSchema: false });
    try {
      const r = await post(strictless, chatBody(classifySchema));
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json)).toContain('json_schema');
    } finally {
      await strictless.close();
    }
  });

  it('plays scripted faults in order, then the default', async () => {
    llm.enqueue(
      { kind: 'status', status: 429, retryAfter: '7' },
      { kind: 'status', status: 500 },
      { kind: 'malformed' },
      { kind: 'schema-violation' },
      { kind: 'foreign-label', label: 'XYZ' },
      { kind: 'no-choices' },
    );
    const body = chatBody(classifySchema, '- 200: Abbruch');
    const r429 = await post(llm, body);
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe('7');
    expect((await post(llm, body)).status).toBe(500);
    const malformed = content((await post(llm, body)).json);
    expect(() => JSON.parse(malformed)).toThrow();
    const violating: unknown = JSON.parse(content((await post(llm, body)).json));
    expect(new Ajv2020().validate(classifySchema, violating)).toBe(false);
    expect(JSON.parse(content((await post(llm, body)).json))).toMatchObject({ labels: ['XYZ'] });
    expect((await post(llm, body)).json).toMatchObject({ choices: [] });
    expect(JSON.parse(content((await post(llm, body)).json))).toMatchObject({ labels: ['200'] });
    expect(llm.calls).toBe(7);
  });

  it('replaces quotes with ungrounded text', async () => {
    llm.setBehaviour({ kind: 'ungrounded-quote', quote: 'steht nicht da' });
    const answer: unknown = JSON.parse(content((await post(llm, chatBody(extractSchema))).json));
    expect(answer).toMatchObject({ fields: { aktenzeichen: { value: 'AZ-2024-17', quote: 'steht nicht da' } } });
  });

  it('delays, and hangs until the client gives up', async () => {
    llm.enqueue({ kind: 'delay', ms: 150 }, { kind: 'hang' });
    const t0 = Date.now();
    expect((await post(llm, chatBody(classifySchema))).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await expect(
      fetch(`${llm.url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify(chatBody(classifySchema)),
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
  });

  it('adds fixed latency and uses a custom responder', async () => {
    const slow = await startFakeLlm({
      latencyMs: 80,
      responder: () => ({ labels: ['300'], confidence: 1, rationale: 'fix' }),
    });
    try {
      const t0 = Date.now();
      const r = await post(slow, chatBody(classifySchema));
      expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
      expect(JSON.parse(content(r.json))).toEqual({ labels: ['300'], confidence: 1, rationale: 'fix' });
    } finally {
      await slow.close();
    }
  });

  it('lists models and records every request', async () => {
    const res = await fetch(`${llm.url}/models`);
    expect(await res.json()).toMatchObject({ data: [{ id: 'fake-model' }] });
    expect(llm.requests).toHaveLength(1);
    expect(llm.calls).toBe(0);
    llm.reset();
    expect(llm.requests).toHaveLength(0);
  });
});

import { entryHash, verifyChain, type AuditEntry, type ChainedEntry } from '../../../src/observability/audit-chain.js';
import { canonicalJson } from '../../../src/config/canonical-json.js';

function chain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = '';
  for (let seq = 0; seq < n; seq++) {
    const entry: AuditEntry = {
      seq,
      jobId: 'j1',
      tenant: 't',
      type: seq === 0 ? 'received' : 'done',
      actor: { kind: 'system', id: 'gw' },
      at: new Date(seq * 1000).toISOString(),
      details: { attempt: seq },
      prev,
    };
    const hash = entryHash(entry);
    out.push({ id: `${seq}-0`, entry, hash });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });
  it('verifies an intact chain and finds an altered, removed or inserted entry', () => {
    expect(verifyChain(chain(4))).toEqual({ verified: true });
    const altered = chain(4);
    const second = altered[1];
    if (second === undefined) throw new Error('no entry');
    altered[1] = { ...second, entry: { ...second.entry, actor: { kind: 'person', id: 'mallory' } } };
    expect(verifyChain(altered)).toMatchObject({ verified: false, brokenAt: { index: 1 } });
    const removed = chain(4);
    removed.splice(2, 1);
    expect(verifyChain(removed)).toMatchObject({ verified: false, brokenAt: { index: 2 } });
  });
});

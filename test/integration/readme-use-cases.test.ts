import { readFileSync } from 'node:fs';
import { textBetween } from '../../src/config/config-docs.js';
import { fromRoot } from '../../src/config/paths.js';
import { startTestGateway, type TestGateway, waitForJob } from '../support/gateway.js';

/** The README's use cases, run as a new user runs them: same job ids, same decision, the reply it shows. */
describe('README use cases (issue #15)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, 'readme-use-cases');
  });
  afterAll(async () => {
    await gw.close();
  });
  const readme = readFileSync(fromRoot('README.md'), 'utf8');
  const section = textBetween(readme, '## Use cases: answers', '## Tests');

  it.each([
    ['examples/messages/xbau-2.6-baugenehmigung.antrag.0200.xml', 'usecase-0201'],
    ['examples/messages/xdomea-3.0.0-Aussonderung.Anbieteverzeichnis.0501.xml', 'usecase-0502'],
  ])('%s: submitted, decided as the README decides, answered with the reply it shows', async (file, marker) => {
    expect(section).toContain(`--data-binary @${file}`);
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: readFileSync(fromRoot(file)),
    });
    const accepted = (await res.json()) as { id: string; location: string };
    expect(section).toContain(`localhost:8080/v1/reviews/${accepted.id}/decision`);
    expect((await waitForJob(gw.url, accepted.location, ['review'])).state).toBe('review');
    const after = section.slice(section.indexOf(`/v1/reviews/${accepted.id}/decision`));
    const body = /-d '(\{.*\})'/.exec(after)?.[1] ?? '';
    const decided = await fetch(`${gw.url}/v1/reviews/${accepted.id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(decided.status).toBe(200);
    await waitForJob(gw.url, accepted.location, ['done']);
    const reply = (await (await fetch(`${gw.url}/v1/jobs/${accepted.id}/reply`)).text()).split('\n');
    const shown = textBetween(section, `<!-- ${marker}:start -->`, `<!-- ${marker}:end -->`)
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('```'));
    // Every line shown is in the reply, in order; the deadline depends on the day it runs.
    let at = 0;
    for (const line of shown) {
      const expected = line.includes('<xbau:frist>') ? /<xbau:frist>\d{4}-\d{2}-\d{2}<\/xbau:frist>/ : undefined;
      const found = reply.findIndex((l, i) => i >= at && (expected === undefined ? l === line : expected.test(l)));
      expect({ line, found: found >= 0 }).toEqual({ line, found: true });
      at = found + 1;
    }
  });
});

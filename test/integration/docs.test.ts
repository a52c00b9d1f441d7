import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fromRoot } from '../../src/config/paths.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

describe('API docs (/docs, /openapi.json)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, 'docs');
  });
  afterAll(async () => {
    await gw.close();
  });

  it('serves the contract as JSON, equal to the YAML file', async () => {
    const res = await fetch(`${gw.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual(parse(readFileSync(fromRoot('openapi/gateway.yaml'), 'utf8')));
  });

  it('serves Swagger UI from local assets (no CDN) with a separate initializer', async () => {
    const page = await fetch(`${gw.url}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>[^<]/);
    const init = await fetch(`${gw.url}/docs/init.js`);
    expect(await init.text()).toContain("'/openapi.json'");
    const bundle = await fetch(`${gw.url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await fetch(`${gw.url}/docs/assets/swagger-ui.css`)).status).toBe(200);
  });

  it('names a relative server, so "Try it out" works on any host and port (issue #13)', async () => {
    const spec = (await (await fetch(`${gw.url}/openapi.json`)).json()) as { servers: { url: string }[] };
    expect(spec.servers.map((s) => s.url)).toEqual(['/']);
  });

  it('serves only the assets the page loads, not the package around them (issue #11)', async () => {
    for (const other of ['package.json', 'index.html', 'swagger-ui.js.map', 'swagger-initializer.js']) {
      expect((await fetch(`${gw.url}/docs/assets/${other}`)).status).toBe(404);
    }
  });
});

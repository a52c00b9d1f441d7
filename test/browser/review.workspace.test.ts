import type { RedisClient } from '../../src/jobs/redis-connection.js';
import { RedisKeys } from '../../src/jobs/redis-keys.js';
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { jest } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fromRoot } from '../../src/config/paths.js';
import { ApiKeyStore } from '../../src/security/api-key-store.js';
import { startTestGateway, type TestGateway, waitForJob } from '../support/gateway.js';
import { startTestIdp, type TestIdp } from '../support/oidc-idp.js';
import { freePort } from '../support/ports.js';
import { type HttpRegister, startHttpRegister } from '../support/http-register-server.js';
import { until } from '../support/until.js';
import { testRedis } from '../support/redis.js';

/**
 * Issue #17: the review workspace in a real browser (Debian's Chromium driven by playwright-core)
 * against the real gateway and a real OpenID Provider: sign in, the queue of one's tenant, a case
 * with its evidence, a correction, the job going on; another tenant's case unreachable; CSRF and an
 * ended session refused; hostile message text inert; axe (WCAG 2.1 A/AA) on every page.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// A real browser, an IdP and a gateway on two cores beside other suites: the first case alone takes
// 23–26 s on an idle machine (sign-in, queue, correction, delivery), so each case's ceiling is above
// jest's 30 s.
jest.setTimeout(90_000);

describe('review workspace in the browser', () => {
  let gw: TestGateway;
  let idp: TestIdp;
  let browser: Browser;
  let redis: RedisClient;
  let fachverfahren: HttpRegister;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    fachverfahren = await startHttpRegister();
    const port = await freePort();
    idp = await startTestIdp({
      gatewayUrl: `http://127.0.0.1:${port}`,
      users: [
        { id: 'alice', roles: ['reviewer'], tenant: 'amt-a' },
        { id: 'bob', roles: ['reviewer'], tenant: 'amt-b' },
        { id: 'ada', roles: ['admin'], tenant: 'amt-a' },
      ],
    });
    gw = await startTestGateway(
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        AUTH_MODE: 'required',
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
        OUTBOUND_ALLOWLIST: '127.0.0.1',
      },
      'review-ui',
    );
    redis = testRedis();
    const store = new ApiKeyStore(redis, gw.prefix);
    for (const tenant of ['amt-a', 'amt-b'])
      keys[tenant] = (await store.create({ name: `bot-${tenant}`, roles: ['submitter'], tenant })).key;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await idp?.close();
    await redis?.quit();
    await fachverfahren?.close();
  });

  const submit = async (
    tenant: string,
    form: Record<string, string>,
    callbackUrl?: string,
  ): Promise<{ id: string; location: string }> => {
    const res = await fetch(`${gw.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `ApiKey ${keys[tenant]}` },
      body: JSON.stringify({
        profile: 'posteingang',
        receivedAt: '2026-11-30',
        form,
        ...(callbackUrl === undefined ? {} : { callbackUrl }),
      }),
    });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { id: string; location: string };
    const job = await waitForJob(gw.url, accepted.location, ['review', 'done', 'failed'], 20_000, {
      authorization: `ApiKey ${keys[tenant]}`,
    });
    expect(job.state).toBe('review');
    return accepted;
  };

  const signIn = async (page: Page, user: string, path = '/review'): Promise<void> => {
    await page.goto(gw.url + path);
    // The IdP's development login form, then its consent prompt.
    await page.fill('input[name=login]', user);
    await page.fill('input[name=password]', 'any');
    await page.click('button[type=submit]');
    await page.click('button:has-text("Continue")');
    await page.waitForURL(`${gw.url}${path}**`);
  };

  const axe = async (page: Page): Promise<void> => {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  };

  it('a reviewer signs in, works the queue of their tenant by keyboard, corrects the unit and the job goes on', async () => {
    const mine = await submit(
      'amt-a',
      {
        Name: 'Erika Musterfrau',
        Betreff: 'Widerspruch Wohngeld',
        Nachricht: 'Hiermit lege ich Widerspruch gegen Ihren Wohngeldbescheid vom 12.11.2026 (Az. WG-2026-04711) ein.',
      },
      `${fachverfahren.url}/callbacks/erika`,
    );
    const theirs = await submit('amt-b', { Name: 'Bernd B', Nachricht: 'Ich beantrage einen Bewohnerparkausweis.' });
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'alice');
    await expectLocator(page.locator('h1')).toHaveText('Offene Prüfungen');
    const queueText = await page.locator('main').textContent();
    expect(queueText).toContain(mine.id);
    expect(queueText).not.toContain(theirs.id);
    await axe(page);
    mkdirSync(fromRoot('docs/review'), { recursive: true });
    await page.screenshot({ path: fromRoot('docs/review/queue.png'), fullPage: true });

    // Keyboard only: the first case by `j`, opened by `o`.
    await page.keyboard.press('j');
    await page.keyboard.press('o');
    await page.waitForURL(`${gw.url}/review/jobs/${mine.id}`);
    await expectLocator(page.locator('h1')).toHaveText(`Fall ${mine.id}`);
    // Every evidence span links to its finding and back.
    const span = page.locator('a.ev').first();
    const target = await span.getAttribute('href');
    expect(target).toMatch(/^#f-\d+$/);
    await axe(page);
    await page.screenshot({ path: fromRoot('docs/review/case.png'), fullPage: true });

    // Keyboard only: `v` to the proposal, Tab to the unit, type to choose, Tab on to "Übernehmen", Enter.
    const active = (what: string): Promise<unknown> => page.evaluate(`document.activeElement?.${what}`);
    await page.keyboard.press('v');
    for (let i = 0; i < 30 && (await active('name')) !== 'p.routing.code'; i++) await page.keyboard.press('Tab');
    expect(await active('name')).toBe('p.routing.code');
    await page.keyboard.type('BU');
    expect(await page.inputValue('select[name="p.routing.code"]')).toBe('BUERGERBUERO');
    for (let i = 0; i < 30 && (await active('id')) !== 'accept'; i++) await page.keyboard.press('Tab');
    expect(await active('id')).toBe('accept');
    await page.keyboard.press('Enter');
    await page.waitForLoadState('load');
    const done = await waitForJob(gw.url, mine.location, ['done', 'failed'], 20_000, {
      authorization: `ApiKey ${keys['amt-a']}`,
    });
    expect(done.state).toBe('done');
    const result = done.result as { proposal: { facts: Record<string, unknown> }; review: { reviewer: string } };
    expect(result.proposal.facts.zustaendig).toBe('BUERGERBUERO');
    expect(result.review.reviewer).toBe('alice');
    // The decision reaches the Fachverfahren: its callback hears of the job's end, with the decided reply.
    await until(
      () => fachverfahren.requests.filter((r) => r.path === '/callbacks/erika').map((r) => r.body),
      (bodies) => bodies.some((b) => b.includes('"done"')),
    );
    const audit = await fetch(`${gw.url}/v1/jobs/${mine.id}/audit`, {
      headers: { authorization: `ApiKey ${keys['amt-a']}` },
    });
    expect(JSON.stringify(await audit.json())).toContain('"reviewed"');

    // Another tenant's case by its URL: not found, as in the API.
    const other = await page.goto(`${gw.url}/review/jobs/${theirs.id}`);
    expect(other?.status()).toBe(404);
    await axe(page);
    await page.goto(`${gw.url}/review/shortcuts`);
    await axe(page);

    // A form without the session's token is refused.
    const forged = await context.request.post(`${gw.url}/review/jobs/${theirs.id}/decision`, {
      form: { decision: 'save', _csrf: 'forged' },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);

    // The session ends (idle timeout: its key expires): the next page asks to sign in again.
    // (The IdP still knows the person: its single sign-on answers at once, through a new code exchange.)
    for (const key of await redis.keys(new RedisKeys(gw.prefix).session('*'))) await redis.del(key);
    const visited: string[] = [];
    page.on('request', (r) => visited.push(r.url()));
    const before = (await context.cookies()).find((c) => c.name === 'xgw_review')?.value;
    await page.goto(`${gw.url}/review`);
    expect(visited.some((u) => u.startsWith(`${gw.url}/review/login`))).toBe(true);
    expect(visited.some((u) => u.startsWith(`${idp.issuer}/auth`))).toBe(true);
    expect((await context.cookies()).find((c) => c.name === 'xgw_review')?.value).not.toBe(before);
    await context.close();
  });

  it('renders hostile message text inert, and a decision someone else made is shown as such', async () => {
    const hostile = await submit('amt-a', {
      Name: '"><img src=x onerror="window.__xss=1">',
      Nachricht: 'Widerspruch <script>window.__xss=2</script> siehe <a href="javascript:window.__xss=3">hier</a>.',
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    let dialog = false;
    page.on('dialog', async (d) => {
      dialog = true;
      await d.dismiss();
    });
    await signIn(page, 'alice', `/review/jobs/${hostile.id}`);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    expect(await page.locator('main a[href^="javascript:"]').count()).toBe(0);
    expect(await page.locator('pre.source').first().textContent()).toContain('<script>');
    expect(dialog).toBe(false);
    const csp = (await page.goto(page.url()))?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");

    // A correction that does not fit (no Anliegen left) is refused with the reason; what was typed stays.
    for (const box of await page.locator('fieldset.labels input[type=checkbox]:checked').all()) await box.uncheck();
    await page.fill('textarea[name="p.receipt.text"]', 'Sehr geehrte Damen und Herren, danke.');
    await page.click('#accept');
    await page.waitForLoadState('load');
    await expectLocator(page.locator('.notice')).toContainText('passt nicht zum Auftrag');
    expect(await page.inputValue('textarea[name="p.receipt.text"]')).toBe('Sehr geehrte Damen und Herren, danke.');
    expect(await page.locator('fieldset.labels input[type=checkbox]:checked').count()).toBe(0);
    await axe(page);

    // Meanwhile someone decides through the API: this page's decision is refused and says so.
    const admin = await new ApiKeyStore(redis, gw.prefix).create({ name: 'ops', roles: ['admin'], tenant: 'amt-a' });
    const api = await fetch(`${gw.url}/v1/reviews/${hostile.id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `ApiKey ${admin.key}` },
      body: JSON.stringify({ decision: 'reject', reason: 'Spam' }),
    });
    expect(api.status).toBe(200);
    await page.fill('#reason', 'kein Verwaltungsvorgang');
    await page.click('#reject');
    await page.waitForLoadState('load');
    await expectLocator(page.locator('.notice')).toContainText('Jemand anderes hat diesen Fall inzwischen entschieden');
    await axe(page);
    await context.close();
  });

  it('re-points the evidence of a value to the text a reviewer selects', async () => {
    const job = await submit('amt-a', {
      Betreff: 'Widerspruch',
      Nachricht:
        'Ich, Paula Petersen, lege Widerspruch gegen den Bescheid vom 02.11.2026 ein. Unterschrift: Paula Petersen',
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'alice', `/review/jobs/${job.id}`);
    const absender = page.locator('input[name$=".data.absender"]');
    const fieldId = await absender.getAttribute('id');
    await page.fill(`#${fieldId}`, 'Paula Petersen');
    // Select the second "Paula Petersen" (the signature) in the part's text, then take it as evidence.
    await page.evaluate(`(() => {
      const pre = document.querySelector('pre.source');
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      const needle = 'Paula Petersen';
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let at = node.data.indexOf(needle); at >= 0; at = node.data.indexOf(needle, at + 1)) {
          if (++seen < 2) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + needle.length);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
          return;
        }
      }
    })()`);
    await page.click(`button[data-target="${fieldId}-ev"]`);
    await expectLocator(page.locator(`#${fieldId}-st`)).toContainText('Beleg: „Paula Petersen“');
    const span = await page.inputValue(`#${fieldId}-ev`);
    // A label of the task's own set added, the unit changed, and the reply looked at before deciding.
    await page.check('input[name$=".labels"][value="FRI"]');
    await page.selectOption('select[name="p.routing.code"]', 'STANDESAMT');
    await page.click('#preview');
    await page.waitForLoadState('load');
    await expectLocator(page.locator('.notice')).toContainText('Vorschau mit Ihren Änderungen');
    await expectLocator(page.locator('pre.reply')).toContainText('Zuständig: Standesamt');
    expect(await page.inputValue(`#${fieldId}-ev`)).toBe(span);
    await axe(page);
    await page.click('#accept');
    await page.waitForLoadState('load');
    const done = await waitForJob(gw.url, job.location, ['done', 'failed'], 20_000, {
      authorization: `ApiKey ${keys['amt-a']}`,
    });
    const result = done.result as {
      parts: { text: string }[];
      findings: {
        name?: string;
        corrected?: boolean;
        extraction?: { values: { field: string; evidence: { quote: string; start: number; end: number } }[] };
      }[];
    };
    const angaben = result.findings.find((f) => f.name === 'angaben');
    const anliegen = result.findings.find((f) => f.name === 'anliegen') as
      | { classification?: { labels: { code: string }[] }; corrected?: boolean }
      | undefined;
    expect(anliegen?.classification?.labels.map((l) => l.code)).toEqual(expect.arrayContaining(['WID', 'FRI']));
    expect(anliegen?.corrected).toBe(true);
    const evidence = angaben?.extraction?.values.find((v) => v.field === 'absender')?.evidence;
    expect(`${evidence?.start}-${evidence?.end}`).toBe(span);
    expect(evidence?.quote).toBe('Paula Petersen');
    // The second occurrence: after the first one.
    expect(evidence?.start).toBeGreaterThan(result.parts[0]?.text.indexOf('Paula Petersen') ?? 0);
    expect(result.parts[0]?.text.slice(evidence?.start, evidence?.end)).toBe('Paula Petersen');
    await context.close();
  });

  it('rejects a case with the keyboard alone, and reads at 200 % zoom without horizontal scrolling', async () => {
    const job = await submit('amt-a', { Name: 'Karl K', Nachricht: 'Werbung für Büromöbel, nur diese Woche.' });
    const context = await browser.newContext({ viewport: { width: 640, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'alice');
    // At 640 CSS pixels (1280 at 200 % zoom) nothing needs a horizontal scrollbar.
    expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(
      true,
    );
    // The skip link is the first stop of the Tab key.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Zum Inhalt springen');
    await page.goto(`${gw.url}/review/jobs/${job.id}`);
    expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(
      true,
    );
    await page.keyboard.press('r');
    await page.keyboard.type('Werbung, kein Anliegen');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('reject');
    await page.keyboard.press('Enter');
    await page.waitForLoadState('load');
    const failed = await waitForJob(gw.url, job.location, ['failed'], 20_000, {
      authorization: `ApiKey ${keys['amt-a']}`,
    });
    expect(failed.failedReason).toEqual({ code: 'XGW_REVIEW_REJECTED', detail: 'Werbung, kein Anliegen' });
    await context.close();
  });

  it('an admin reaches the queue dashboard after sign-in; a reviewer does not; signing out ends the session at the IdP too', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'ada', '/admin/queues');
    expect(page.url()).toContain('/admin/queues');
    await page.goto(`${gw.url}/review`);
    await page.click('button:has-text("Abmelden")');
    await page.click('button[value=yes]');
    await page.waitForURL(`${gw.url}/review/signed-out`);
    await axe(page);
    const after = await context.request.get(`${gw.url}/review`, { maxRedirects: 0 });
    expect(after.status()).toBe(303);
    await context.close();

    // A callback this browser did not start (a link an attacker sent) signs nobody in.
    const forged = await browser.newContext();
    const forgedLogin = await forged.request.get(`${gw.url}/review/callback?code=stolen&state=${'x'.repeat(43)}`, {
      maxRedirects: 0,
    });
    expect(forgedLogin.status()).toBe(401);
    await forged.close();
    const reviewer = await browser.newContext();
    const rp = await reviewer.newPage();
    await signIn(rp, 'alice', '/admin/queues');
    expect(await rp.locator('h1').textContent()).toBe('Keine Berechtigung');
    await axe(rp);
    await reviewer.close();
  });
});

// Locator assertions for jest (playwright-core brings no expect of its own).
function expectLocator(locator: ReturnType<Page['locator']>) {
  return {
    async toHaveText(text: string): Promise<void> {
      await locator.waitFor();
      expect((await locator.textContent())?.trim()).toBe(text);
    },
    async toContainText(text: string): Promise<void> {
      await locator.waitFor();
      expect(await locator.textContent()).toContain(text);
    },
  };
}

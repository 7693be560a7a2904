import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { readyMadeOperations } from '../gateway/ide/operations';
import { startTestSystem, TestSystem } from './helpers/system';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', 'test-artifacts');
// .ci/run installs Debian's chromium and requires this test; elsewhere it runs when chromium is there.
const required = process.env.TIMPORA_BROWSER_TEST === 'required';
const available = existsSync(CHROMIUM);
if (!available && !required) console.warn(`The IDE browser test is skipped: no ${CHROMIUM} (apt-get install chromium)`);

type Passport = { number: string; country: string };

(available || required ? describe : describe.skip)('the analysts’ IDE in a real browser', () => {
  let t: TestSystem;
  let browser: Browser;
  let origin: string;
  let dir: string;
  const people: Record<'renewed' | 'clean', { fullName: string; passport: Passport; old?: Passport }> = {} as never;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-ide-'));
    const manifestFile = path.join(dir, 'manifest.json');
    t = await startTestSystem({ persons: 200 }, { demoManifestFile: manifestFile });
    // As `npm start` does: the seed writes the manifest to <DATA_DIR>/manifest.json.
    writeFileSync(manifestFile, JSON.stringify(t.manifest));
    origin = new URL(t.system.gateway!.url).origin;
    const { renewedPassport, cleanPerson } = t.manifest.examples;
    const nameOf = async (id: string) =>
      (await t.query(`query($id: ID!) { foreignNational(id: $id) { fullName } }`, { id })).data.foreignNational
        .fullName as string;
    people.renewed = {
      fullName: await nameOf(renewedPassport.personId),
      passport: renewedPassport.currentPassport,
      old: renewedPassport.oldPassport,
    };
    people.clean = { fullName: await nameOf(cleanPerson.personId), passport: cleanPerson.passport };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // A name of someone else's that resolves to this machine: how a DNS-rebinding page looks.
        '--host-resolver-rules=MAP rebound.example 127.0.0.1',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the IDE at this address and waits until GraphiQL has loaded the schema. */
  async function open(page: Page, address: string) {
    await page.goto(`${origin}${address}`);
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
    await page.locator('.graphiql-tab').first().waitFor();
  }
  const tabTitles = (page: Page) => page.locator('.graphiql-tab .graphiql-tab-button').allTextContents();
  /** Runs the active tab and returns the text of the answer once it is there. */
  async function run(page: Page, expected: string | RegExp) {
    await page.click('.graphiql-execute-button');
    await page.locator('.result-window').filter({ hasText: expected }).waitFor({ timeout: 30_000 });
    return (await page.locator('.result-window').textContent()) ?? '';
  }
  /**
   * Opens a tab. GraphiQL reads the operation's name from its editor 100 ms after a change: a run
   * sooner would name the previous tab's operation, so this waits that out.
   */
  async function switchTo(page: Page, title: string) {
    await page.locator('.graphiql-tab', { hasText: title }).first().click();
    await page.waitForTimeout(300);
  }
  /** The text of the query editor, or of the variables editor (GraphiQL's CodeMirror instances). */
  const editorValue = (page: Page, editor: 'query' | 'variables') =>
    page.evaluate(
      `document.querySelector(${JSON.stringify(EDITORS[editor])}).CodeMirror.getValue()`,
    ) as Promise<string>;
  const passportLink = (passport: Passport) => `${passport.country}:${passport.number}`;

  it('opens on a person of the demo data: the full view answers with them, every ready-made operation a tab', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) elsewhere.push(request.url());
    });
    await open(page, '/');
    // Each role with and without the pii clearance; analyst with pii by default.
    const choices = await page.locator('#role option').allTextContents();
    expect(choices).toHaveLength(10);
    expect(choices).toEqual(
      expect.arrayContaining(['demo token: supervisor (pii)', 'demo token: police_officer (no pii)']),
    );
    expect(await page.locator('#role option:checked').textContent()).toBe('demo token: analyst (pii)');
    const operations = readyMadeOperations().map((operation) => operation.name);
    expect(operations.length).toBeGreaterThanOrEqual(8);
    expect(await tabTitles(page)).toEqual(operations);
    const result = await run(page, '"fullName"');
    expect(result).toContain(`"fullName": "${people.renewed.fullName}"`);
    expect(result).toContain(`"number": "${people.renewed.passport.number}"`);
    expect(result).not.toContain('"errors"');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'ide-full-view.png') });

    // The links and timeline tab opens on the same person.
    await switchTo(page, 'LinksAndTimeline');
    expect(JSON.parse(await editorValue(page, 'variables'))).toEqual({
      id: t.manifest.examples.renewedPassport.personId,
    });
    const links = await run(page, '"foreignNational"');
    expect(links).toContain(`"fullName": "${people.renewed.fullName}"`);
    expect(links).not.toContain('"errors"');
    expect(elsewhere).toEqual([]);
    await page.close();
  }, 90_000);

  it('opens a passport link in one tab named after it, however many links are opened, and keeps it across a role change', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const count = readyMadeOperations().length;
    const clean = people.clean.passport;
    await open(page, `/?passport=${passportLink(clean)}`);
    const cleanTab = `FullView_${clean.country}_${clean.number}`;
    expect(await tabTitles(page)).toHaveLength(count);
    expect((await tabTitles(page))[0]).toBe(cleanTab);
    expect(await run(page, '"fullName"')).toContain(`"fullName": "${people.clean.fullName}"`);

    // Again, then another passport (an earlier one: found all the same), then through /graphql.
    await open(page, `/?passport=${passportLink(clean)}`);
    expect(await tabTitles(page)).toHaveLength(count);
    const old = people.renewed.old!;
    await open(page, `/graphql?passport=${passportLink(old)}`);
    expect(new URL(page.url()).pathname).toBe('/');
    const titles = await tabTitles(page);
    expect(titles).toHaveLength(count);
    expect(titles.filter((title) => title.startsWith('FullView'))).toEqual([`FullView_${old.country}_${old.number}`]);
    expect(await run(page, '"fullName"')).toContain(`"fullName": "${people.renewed.fullName}"`);

    // A supervisor without pii: same tabs, same passport in the address, the passports now masked.
    await page.selectOption('#role', 'supervisor:no-pii');
    const address = new URL(page.url()).searchParams;
    expect({ passport: address.get('passport'), role: address.get('role'), pii: address.get('pii') }).toEqual({
      passport: passportLink(old),
      role: 'supervisor',
      pii: 'false',
    });
    expect(await tabTitles(page)).toEqual(titles);
    const masked = await run(page, '"overstayDays"');
    expect(masked).toContain('"number": "•••');
    expect(masked).not.toContain(old.number);
    // And a reload is the same page again.
    await page.reload();
    await page.waitForSelector('.graphiql-container');
    expect(await page.locator('#role option:checked').textContent()).toBe('demo token: supervisor (no pii)');
    expect((await tabTitles(page))[0]).toBe(`FullView_${old.country}_${old.number}`);
    await page.close();
  }, 120_000);

  it('shows a role the address names that does not exist as such, not as an analyst', async () => {
    const page = await browser.newPage();
    await open(page, '/?role=inspector');
    expect(await page.locator('#role option:checked').textContent()).toBe('unknown role: inspector (no token)');
    expect(await run(page, 'UNAUTHENTICATED')).toContain('UNAUTHENTICATED');
    await page.selectOption('#role', 'analyst:pii');
    expect(await page.locator('#role option', { hasText: 'unknown role' }).count()).toBe(0);
    expect(await run(page, people.renewed.fullName)).not.toContain('"errors"');
    await page.close();
  }, 60_000);

  it('leaves no token and no passport in the browser’s storage after a session', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const tokens: string[] = [];
    page.on('response', async (response) => {
      if (!response.url().endsWith('/ide/config.json')) return;
      const config = (await response.json()) as { devTokens: { token: string }[] };
      tokens.push(...config.devTokens.map((choice) => choice.token));
    });
    const clean = people.clean.passport;
    await open(page, '/');
    await run(page, people.renewed.fullName);
    await open(page, `/?passport=${passportLink(clean)}`);
    await run(page, people.clean.fullName);
    await switchTo(page, 'LinksAndTimeline');
    await run(page, '"foreignNational"');
    await page.selectOption('#role', 'supervisor:pii');
    await switchTo(page, 'FullView');
    await run(page, people.clean.fullName);
    // A token pasted into the Headers pane, as outside development.
    await switchTo(page, 'PermitFigures');
    await page.getByText('Headers', { exact: true }).click();
    await page.evaluate(
      `document.querySelectorAll(${JSON.stringify(EDITORS.variables)})[1].CodeMirror.setValue(${JSON.stringify(
        JSON.stringify({ Authorization: `Bearer ${tokens[0]}` }),
      )})`,
    );
    await run(page, '"byKind"');

    // The history has the operations, not the people: run again from it, the full view has no passport.
    await page.click('[aria-label="Show History"]');
    const entries = page.locator('.graphiql-history-item-label');
    expect(await entries.count()).toBeGreaterThan(0);
    await entries.filter({ hasText: 'FullView' }).first().click();
    expect(await editorValue(page, 'query')).toMatch(/query FullView/);
    expect(await editorValue(page, 'variables')).not.toContain(clean.number);

    // GraphiQL writes its tabs half a second after a change: wait it out, then read every store.
    await page.waitForTimeout(1500);
    const stored = await page.evaluate(READ_EVERY_STORE);
    const text = JSON.stringify(stored);
    expect(tokens.length).toBeGreaterThanOrEqual(10);
    const secrets = [
      ...tokens,
      people.renewed.passport.number,
      people.renewed.old!.number,
      clean.number,
      t.manifest.examples.renewedPassport.personId,
    ];
    expect({ stored, found: secrets.filter((secret) => text.includes(secret)) }).toEqual({ stored, found: [] });
    expect(text).not.toMatch(/eyJ|Bearer/);
    await context.close();
  }, 120_000);

  it('is fast on a slow link: a second visit fetches only the page and its configuration', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const visit = recordTransfers(cdp);
    await open(page, '/');
    await page.waitForLoadState('networkidle');
    const first = visit.done();
    const second = recordTransfers(cdp);
    await open(page, '/');
    await page.waitForLoadState('networkidle');
    const again = second.done();
    console.log(
      `IDE first visit: ${kb(first.bytes)} in ${first.fromNetwork.length} responses (${kb(first.assetBytes)} of assets); ` +
        `second visit: ${kb(again.bytes)} in ${again.fromNetwork.length} responses, ${again.fromCache.length} responses from the cache`,
    );
    const assets = (urls: string[]) => urls.filter((url) => new URL(url).pathname.match(/^\/ide\/.+\.[0-9a-f]{16}\./));
    expect(assets(first.fromNetwork)).toHaveLength(7);
    expect(first.encodings.filter((encoding) => encoding !== 'br')).toEqual([]);
    expect(assets(again.fromNetwork)).toEqual([]);
    expect(assets(again.fromCache)).toHaveLength(7);
    await context.close();
  }, 90_000);

  it('offers no demo tokens to a page reached under another name (DNS rebinding), and says why', async () => {
    const port = new URL(t.system.gateway!.url).port;
    const page = await browser.newPage();
    const config = page.waitForResponse((response) => response.url().endsWith('/ide/config.json'));
    await page.goto(`http://rebound.example:${port}/?role=supervisor`);
    expect(((await (await config).json()) as { devTokens: unknown }).devTokens).toBeNull();
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
    expect(await page.locator('#role').count()).toBe(0);
    expect(await page.locator('#no-tokens').textContent()).toMatch(/only on this machine's loopback address/);
    await page.close();
  }, 60_000);

  it('serves every asset itself with a policy that forbids other origins', async () => {
    const response = await fetch(`${origin}/`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
  });
});

const EDITORS = {
  query: '.graphiql-query-editor .CodeMirror',
  // The variables editor, then the headers editor.
  variables: '.graphiql-editor-tool .graphiql-editor .CodeMirror',
};

/** Everything in localStorage, sessionStorage and every IndexedDB database of the page's origin (runs in the page). */
const READ_EVERY_STORE = `(async () => {
  const dump = (storage) =>
    Object.fromEntries(Array.from({ length: storage.length }, (_, i) => [storage.key(i), storage.getItem(storage.key(i))]));
  const databases = {};
  for (const { name } of await indexedDB.databases()) {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      databases[name + '/' + store] = await new Promise((resolve) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
      });
    }
    db.close();
  }
  return { localStorage: dump(localStorage), sessionStorage: dump(sessionStorage), indexedDB: databases };
})()`;

/** Bytes on the wire (headers and encoded bodies) per response, from Chromium's own network events. */
function recordTransfers(cdp: Awaited<ReturnType<BrowserContext['newCDPSession']>>) {
  const urls = new Map<string, string>();
  const fromNetwork: string[] = [];
  const fromCache: string[] = [];
  const encodings: string[] = [];
  let bytes = 0;
  let assetBytes = 0;
  const sent = (event: any) => urls.set(event.requestId, event.request.url);
  const received = (event: any) => {
    if (event.response.fromDiskCache || event.response.fromPrefetchCache) fromCache.push(event.response.url);
    const encoding = event.response.headers['content-encoding'];
    if (/\/ide\/.+\.[0-9a-f]{16}\./.test(event.response.url) && !event.response.fromDiskCache) encodings.push(encoding);
  };
  const cached = (event: any) => fromCache.push(urls.get(event.requestId) ?? event.requestId);
  const finished = (event: any) => {
    const url = urls.get(event.requestId);
    if (!url || event.encodedDataLength === 0) return;
    fromNetwork.push(url);
    bytes += event.encodedDataLength;
    if (/\/ide\/.+\.[0-9a-f]{16}\./.test(url)) assetBytes += event.encodedDataLength;
  };
  cdp.on('Network.requestWillBeSent', sent);
  cdp.on('Network.responseReceived', received);
  cdp.on('Network.requestServedFromCache', cached);
  cdp.on('Network.loadingFinished', finished);
  return {
    done() {
      cdp.off('Network.requestWillBeSent', sent);
      cdp.off('Network.responseReceived', received);
      cdp.off('Network.requestServedFromCache', cached);
      cdp.off('Network.loadingFinished', finished);
      return { bytes, assetBytes, fromNetwork, fromCache: [...new Set(fromCache)], encodings };
    },
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

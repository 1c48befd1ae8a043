// examples/ as a project that never saw this repository runs them: the packed package and the
// example's own dependencies installed into a fresh folder, its suite run there against its
// shop, and run again against a shop that forgot its SignIn push, which must fail the build with
// a report naming the missing step. Packed once; the examples one after the other (each starts
// Chromium). Needs the npm registry (or a warm npm cache) for the examples' dependencies.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireChromium } from '../../testing/chromium';
import { removeDir, ROOT, tempDir, whenListening } from '../helpers/companion';
import { packTree, runOrThrow } from '../helpers/pack';

const work = tempDir('vl-examples-');
let tarball = '';

/** The environment of a CI job: no trace of the Vitest running this file, no colours, no downloads. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TEST$|NODE_ENV$|NODE_OPTIONS$|FORCE_COLOR$)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    NO_COLOR: '1',
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    PUPPETEER_SKIP_DOWNLOAD: '1',
    CHROMIUM_PATH: requireChromium(),
    ...extra,
  };
}

beforeAll(() => {
  requireChromium(); // one clear line when there is none, before packing
  tarball = packTree(work);
}, 300_000);
afterAll(() => removeDir(work));

/** The example copied into a fresh folder, with the packed package and its own devDependencies installed. */
function install(example: string): string {
  const project = path.join(work, example);
  cpSync(path.join(ROOT, 'examples', example), project, { recursive: true, filter: (f) => !/node_modules|test-results/.test(f) });
  runOrThrow('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev', tarball], project, cleanEnv());
  return project;
}

/** Runs the example's suite to its end (the companions it starts are its own children). */
function suite(project: string, command: string[], env: Record<string, string> = {}): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no-install', ...command], { cwd: project, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output: output.replace(/\x1b\[[0-9;]*m/g, '') });
    });
  });
}

const EXAMPLES = [
  { example: 'playwright', command: ['playwright', 'test'], passed: /2 passed/, failed: /1 failed[\s\S]*1 passed/ },
  { example: 'puppeteer-vitest', command: ['vitest', 'run'], passed: /Tests\s+2 passed \(2\)/, failed: /Tests\s+1 failed \| 1 passed \(2\)/ },
];

it('the examples use this repository\'s versions of what they install (npm ci caches them; they drive Chromium as its own tests do)', () => {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages as Record<string, { version: string }>;
  for (const { example } of EXAMPLES) {
    const wanted = JSON.parse(readFileSync(path.join(ROOT, 'examples', example, 'package.json'), 'utf8')).devDependencies as Record<string, string>;
    for (const [name, version] of Object.entries(wanted)) expect(`${example}: ${name}@${version}`).toBe(`${example}: ${name}@${lock[`node_modules/${name}`]?.version}`);
  }
});

it('both examples test the same shop with the same spec', () => {
  for (const file of ['site/shop.mjs', 'specs/sign-in.json']) {
    expect(readFileSync(path.join(ROOT, 'examples/puppeteer-vitest', file), 'utf8'), file).toBe(readFileSync(path.join(ROOT, 'examples/playwright', file), 'utf8'));
  }
});

describe.each(EXAMPLES)('examples/$example from a project of its own', ({ example, command, passed, failed }) => {
  let project = '';
  beforeAll(() => {
    project = install(example);
  }, 300_000);

  it('type-checks against the types the package ships (matchers included)', async () => {
    const r = await suite(project, ['tsc', '-p', '.']);
    expect([r.status, r.output]).toEqual([0, '']);
  });

  it('passes: the sign-in is tracked, the spec holds', async () => {
    const r = await suite(project, command);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(passed);
  }, 180_000);

  it('fails the build when the shop stops sending SignIn, naming the missing step', async () => {
    const r = await suite(project, command, { SHOP_FORGETS_SIGNIN: '1' });
    expect(r.status, r.output).toBe(1);
    expect(r.output).toMatch(failed);
    // The checker's report, as the person reading the build log sees it.
    expect(r.output).toContain('toSatisfySpec("sign-in tells GWE who the visitor is")');
    expect(r.output).toContain("step 3 {event: 'SignIn', data: {email: 'pat@example.com'}}: the closest visit");
    expect(r.output).toMatch(/after its PageEntered \/login \(Anonymous\) came PageEntered \/account \(Anonymous\).*; no SignIn/);
    expect(r.output).toContain('at visits[0].steps[2]');
    expect(r.output).toContain('identity pat@example.com: no identity in scope');
    if (example === 'playwright') {
      // The JUnit file a CI job uploads says the same.
      const junit = readFileSync(path.join(project, 'test-results/junit.xml'), 'utf8');
      expect(junit).toMatch(/<testsuites[^>]* failures="1"/);
      expect(junit).toContain('visits[0].steps[2]');
    }
  }, 180_000);
});

/**
 * docs/ci.md's second recipe: `visitor-lab start` as a service with an active run, a browser
 * suite that only browses (the extension from extensionDir(), naming no run), then
 * `visitor-lab check --run --reporter junit`.
 */
describe('docs/ci.md: a companion as a service, visitor-lab check after the suite', () => {
  const BROWSE = `// Stands in for a suite that only browses: the sign-in on the shop, the extension loaded.
import { chromium } from '@playwright/test';
import { extensionDir } from 'visitor-lab/testing';
import { startShop } from './site/shop.mjs';
const shop = await startShop();
const dir = await extensionDir({ url: process.env.VISITOR_LAB_URL });
const context = await chromium.launchPersistentContext('', { headless: true, executablePath: process.env.CHROMIUM_PATH,
  args: ['--disable-extensions-except=' + dir, '--load-extension=' + dir, '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
const page = await context.newPage();
await page.goto(shop.url + '/login');
await page.fill('#email', 'pat@example.com');
await page.fill('#password', 'secret');
await page.click('#sign-in');
await page.locator('#who').waitFor();
await context.close();
await shop.close();
`;

  async function service(project: string, forgetSignIn: boolean): Promise<{ status: number | null; output: string }> {
    const data = path.join(work, `service-data-${forgetSignIn}`);
    mkdirSync(data);
    const child = spawn('npx', ['--no-install', 'visitor-lab', 'start', '--port', '0', '--data', data, '--quiet'], { cwd: project, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const listening = whenListening(child);
    try {
      const { url } = await listening;
      const started = await fetch(`${url}/lab/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'CI abc1234', active: true }) });
      expect(started.status).toBe(201);
      const { runId } = (await started.json()) as { runId: string };
      const browse = await suite(project, ['node', 'browse.mjs'], { VISITOR_LAB_URL: url, ...(forgetSignIn ? { SHOP_FORGETS_SIGNIN: '1' } : {}) });
      expect(browse.status, browse.output).toBe(0);
      // The suite is over, its events were sent a moment before: what CI's next step sees.
      await expect.poll(async () => ((await (await fetch(`${url}/lab/runs/${runId}`)).json()) as { counts: { events: number } }).counts.events, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      return await suite(project, ['visitor-lab', 'check', 'specs/sign-in.json', '--companion', url, '--run', runId, '--reporter', 'junit']);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }

  it('exits 0 when the spec holds, 1 with a JUnit report naming the SignIn step when the shop forgets it', async () => {
    // The Playwright example's project, installed above (or now, when this test runs alone).
    const project = existsSync(path.join(work, 'playwright/node_modules')) ? path.join(work, 'playwright') : install('playwright');
    writeFileSync(path.join(project, 'browse.mjs'), BROWSE);
    const ok = await service(project, false);
    expect(ok.status, ok.output).toBe(0);
    expect(ok.output).toContain('<testsuite name="sign-in tells GWE who the visitor is"');
    const broken = await service(project, true);
    expect(broken.status, broken.output).toBe(1);
    expect(broken.output).toContain('<failure message="step 3 {event: &apos;SignIn&apos;');
    expect(broken.output).toContain('visits[0].steps[2]');
  }, 120_000);
});

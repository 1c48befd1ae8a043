import { readFileSync } from 'node:fs';
import type { Spec } from 'visitor-lab/testing';
import { expect, test } from './fixtures';

// The same spec file `visitor-lab check specs/sign-in.json` reads.
const signIn: Spec = JSON.parse(readFileSync(new URL('../specs/sign-in.json', import.meta.url), 'utf8'));

test('signing in tells GWE who the visitor is', async ({ page, shopUrl, run }) => {
  await page.goto(`${shopUrl}/login`);
  await page.fill('#email', 'pat@example.com');
  await page.fill('#password', 'secret');
  await page.click('#sign-in');
  await expect(page.locator('#who')).toHaveText('Signed in as pat@example.com');

  // Events arrive a moment after the page ran them: these matchers wait (5 s by default).
  await expect(run).toSatisfySpec(signIn);
  await expect(run).toHaveVisitorState('Authenticated');
});

test('a visitor who only browses stays anonymous', async ({ page, shopUrl, run }) => {
  await page.goto(shopUrl);
  await page.click('#nav-login');
  await expect(run).toHaveEvents(['VisitStarted', { event: 'PageEntered', url: '/login' }, { count: 0, event: 'SignIn' }]);
  await expect(run).toHaveVisitorState('Anonymous');
});

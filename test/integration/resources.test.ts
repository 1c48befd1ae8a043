// GWE's static resources: GPE.min.js and the default domain-model.xml, readable from any page
// (they hold no visitor data), while the rest of the companion stays closed to web origins.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOMAIN_MODEL } from '../../companion/server/resources';
import { useCompanion } from '../helpers/use-companion';

const SITE = { origin: 'http://any-site.test:3000' };

describe('/server/resources', () => {
  const ctx = useCompanion({}, 'all');

  it('serves the tracker as JavaScript to any origin, with CORS *', async () => {
    const res = await fetch(`${ctx.companion.url}/server/resources/js/build/GPE.min.js`, { headers: SITE });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const code = await res.text();
    expect(code).toContain('_gt');
    expect(code.length).toBeGreaterThan(1000);
  });

  it('serves the default business-event rules (Timeout-30)', async () => {
    const res = await fetch(`${ctx.companion.url}/server/resources/dsl/domain-model.xml`, { headers: SITE });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toBe(DEFAULT_DOMAIN_MODEL);
  });

  it('is not a way in: other methods and other paths still refuse web origins', async () => {
    const post = await fetch(`${ctx.companion.url}/server/resources/dsl/domain-model.xml`, { method: 'POST', headers: SITE });
    expect(post.status).toBe(403);
    const read = await fetch(`${ctx.companion.url}/server/data/visits`, { headers: SITE });
    expect(read.status).toBe(403);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    const missing = await fetch(`${ctx.companion.url}/server/resources/nothing-here.js`, { headers: SITE });
    expect(missing.status).toBe(404);
  });
});

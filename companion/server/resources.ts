// GWE's static resources: the tracker a site's snippet loads (GPE.min.js), so a site whose
// `httpEndpoint` points at the companion works without the extension, and the default
// business-event rules (domain-model.xml). Public: they hold no visitor data, so any page may
// read them (CORS *), unlike everything else the companion serves.
import { Router, type RequestHandler } from 'express';
import { HttpError } from './errors';

export const RESOURCES_PATH = '/server/resources/';
export const TRACKER_PATH = '/server/resources/js/build/GPE.min.js';
export const DSL_PATH = '/server/resources/dsl/domain-model.xml';

/** GWE's default rules: Timeout-30, a business event after 30 s on a page in view. */
export const DEFAULT_DOMAIN_MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<events>
  <event id="Timeout-30" name="Timeout-30">
    <trigger name="Timeout-30" element="" action="timer:30000" type="timeout" url="" count="1"/>
  </event>
</events>
`;

/** Any origin may GET a resource (no credentials, nothing private). */
export const publicResources: RequestHandler = (req, res, next) => {
  if (!req.path.startsWith(RESOURCES_PATH) || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
  res.setHeader('Access-Control-Allow-Origin', '*');
  next();
};

export function resourcesRouter(trackerScript: string | undefined): Router {
  const router = Router();
  router.get(TRACKER_PATH, (_req, res) => {
    if (!trackerScript) throw new HttpError(404, 'not_found', 'the tracker is not built into this companion (npm run build:companion)');
    // Any page may load it (a <script> tag); the events it sends are what --allow-origin guards.
    res.set('Cache-Control', 'no-cache').type('application/javascript; charset=utf-8').send(trackerScript);
  });
  router.get(DSL_PATH, (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('application/xml; charset=utf-8').send(DEFAULT_DOMAIN_MODEL);
  });
  return router;
}

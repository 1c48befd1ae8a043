// GWE's static resources: the tracker a site's snippet loads (GPE.min.js), so a site whose
// `httpEndpoint` points at the companion works without the extension.
import { Router } from 'express';
import { HttpError } from './errors';

export const TRACKER_PATH = '/server/resources/js/build/GPE.min.js';

export function resourcesRouter(trackerScript: string | undefined): Router {
  const router = Router();
  router.get(TRACKER_PATH, (_req, res) => {
    if (!trackerScript) throw new HttpError(404, 'not_found', 'the tracker is not built into this companion (npm run build:companion)');
    // Any page may load it (a <script> tag); the events it sends are what --allow-origin guards.
    res.set('Cache-Control', 'no-cache').type('application/javascript; charset=utf-8').send(trackerScript);
  });
  return router;
}

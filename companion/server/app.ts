import express from 'express';
import type { LabStore } from '../store/lab-store';
import type { RetentionReport } from '../retention';
import { errorHandler, notFound } from './errors';
import { historyRouter } from './history/routes';
import { intakeRouter } from './intake';
import { labRouter } from './lab';
import { labVisitsRouter } from './lab-visits';
import { labCategoriesRouter } from './lab-categories';
import { labCheckRouter } from './lab-check';
import { labRunsRouter } from './lab-runs';
import { webAppRouter } from './web-app';
import { openApiRouter } from './openapi/route';
import { exchangeRouter } from './exchange/routes';
import { publicResources, RESOURCES_PATH, resourcesRouter } from './resources';
import { EXTENSION_ID } from './extension-id';
import { intakeCaller } from './intake-privacy';
import { basicAuth, crossSiteGuard, hostGuard, intakeCors, noEmbedding, originGuard } from './security';

export interface AppOptions {
  host: string;
  auth?: string;
  allowOrigins: string[];
  /** Extension origins trusted besides Visitor Lab's own (--allow-extension). */
  allowExtensions?: string[];
  version: string;
  log: (message: string) => void;
  /** Where a line per intake request goes (none when quiet). */
  logIntake?: (line: string) => void;
  /** The standalone tracker (GPE.min.js) to serve. */
  trackerScript?: string;
  /** What retention keeps and has forgotten (GET /lab/health), when it is on. */
  retention?: () => RetentionReport;
}

export function createApp(store: LabStore, options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(noEmbedding(RESOURCES_PATH));
  app.use(hostGuard(options.host));
  const extensions = [`chrome-extension://${EXTENSION_ID}`, ...(options.allowExtensions ?? [])];
  app.use(originGuard(options.allowOrigins, extensions, '/server/events'));
  // Before any route (and after originGuard, which judged the requests with an Origin): what a
  // route answers (200, 404, 204) must not reach another site's page.
  app.use(crossSiteGuard());
  // Intake stays open to allowed pages (the tracker cannot send credentials); reading is not.
  app.use('/server/events', intakeCors(), intakeCaller(options.auth));
  app.use(intakeRouter(store, options.logIntake));
  app.use(publicResources, resourcesRouter(options.trackerScript));
  app.use('/server/data', basicAuth(options.auth), historyRouter(store));
  app.use('/lab', basicAuth(options.auth), exchangeRouter(store, options.version));
  app.use('/lab', basicAuth(options.auth), labRouter(store, options.version, options.retention));
  app.use('/lab', basicAuth(options.auth), labVisitsRouter(store));
  app.use('/lab', basicAuth(options.auth), labCategoriesRouter(store));
  app.use('/lab', basicAuth(options.auth), openApiRouter({ version: options.version, auth: options.auth !== undefined }));
  app.use('/lab', basicAuth(options.auth), labRunsRouter(store));
  app.use('/lab', basicAuth(options.auth), labCheckRouter(store));
  app.use(webAppRouter(options.auth));
  app.use((req, _res, next) => next(notFound(`no route ${req.method} ${req.path}`)));
  app.use(errorHandler(options.log));
  return app;
}

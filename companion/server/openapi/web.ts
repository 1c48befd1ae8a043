// What the companion serves that is not an API: GWE's static resources (resources.ts) and the
// web app's pages and assets (web-app.ts). Listed so that the document holds every route.
import { DSL_PATH, TRACKER_PATH } from '../resources';
import { responseRef, pathParam, type Operation, type Paths } from './build';

const text = (description: string, type: string) => ({ description, content: { [type]: { schema: { type: 'string' } } } });

function resource(operationId: string, summary: string, type: string): Operation {
  return {
    operationId,
    tags: ['resources'],
    summary,
    description: 'Public: holds no visitor data, any origin may read it (Access-Control-Allow-Origin: *).',
    responses: { '200': text(summary, type), '404': responseRef('NotFound') },
  };
}

function appPage(operationId: string, summary: string, parameters: Operation['parameters'] = []): Operation {
  return {
    operationId,
    tags: ['web app'],
    summary,
    description: "The web app's HTML shell (its script routes by the URL). 503 when the web app is not built into this companion.",
    ...(parameters.length ? { parameters } : {}),
    responses: { '200': text('the HTML page', 'text/html'), '503': responseRef('WebAppNotBuilt') },
    'x-visitor-lab-addition': true,
  };
}

const asset = (operationId: string, type: string): Operation => ({
  operationId,
  tags: ['web app'],
  summary: `The web app's ${type === 'text/css' ? 'style sheet' : 'script'}`,
  responses: { '200': text('the asset', type), '503': responseRef('WebAppNotBuilt') },
  'x-visitor-lab-addition': true,
});

export const webPaths: Paths = {
  [TRACKER_PATH]: { get: resource('getTracker', 'The `_gt` tracker (GPE.min.js) for sites that load it from the companion', 'application/javascript') },
  [DSL_PATH]: { get: resource('getDomainModel', "GWE's default business-event rules (Timeout-30)", 'application/xml') },
  '/': { get: appPage('getWebApp', 'The web app: every visit, newest first') },
  '/visits/{visitId}': { get: appPage('getWebAppVisit', 'The web app: a visit', [pathParam('visitId', 'the visit')]) },
  '/identities/{identityId}': { get: appPage('getWebAppIdentity', 'The web app: an identity across its visits', [pathParam('identityId', 'the identity')]) },
  '/contacts': { get: appPage('getWebAppContacts', 'The web app: the contact directory') },
  '/health': { get: appPage('getWebAppHealth', "The web app: the companion's health") },
  '/check': { get: appPage('getWebAppCheck', 'The web app: a spec ticked off live against a scope (the spec is kept in the page)') },
  '/runs': { get: appPage('getWebAppRuns', 'The web app: the runs, newest first, with their counts and last check') },
  '/runs/{runId}': { get: appPage('getWebAppRun', "The web app: a run's visits, problems, checks, export and forget", [pathParam('runId', 'the run')]) },
  '/app/app.js': { get: asset('getWebAppScript', 'text/javascript') },
  '/app/app.css': { get: asset('getWebAppStyles', 'text/css') },
  '/app/{chunk}': {
    get: {
      ...asset('getWebAppChunk', 'text/javascript'),
      summary: 'A part of the web app loaded on demand (chunk-HASH.js, as app.js names it)',
      parameters: [pathParam('chunk', 'the chunk file name')],
      responses: { '200': text('the chunk', 'text/javascript'), '404': responseRef('NotFound'), '503': responseRef('WebAppNotBuilt') },
    },
  },
};

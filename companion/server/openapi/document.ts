// The OpenAPI 3.1 document of the companion: intake, the History API, the lab API, and the
// other routes it serves, put together from one file per family. Built once, at start.
import { categoryPaths } from './categories';
import { checkPaths } from './check';
import { exchangePaths } from './exchange';
import { historyPaths } from './history';
import { intakePaths } from './intake';
import { labPaths } from './lab';
import { runPaths } from './runs';
import { schemas } from './schemas';
import { webPaths } from './web';
import { json, schemaRef, type Operation, type Paths } from './build';

export interface DocumentOptions {
  version: string;
  /** --auth: whether the History and lab APIs (and the web app) need HTTP Basic credentials. */
  auth: boolean;
}

/** The families, in the order the document lists them. */
export const FAMILIES: Paths[] = [intakePaths, historyPaths, labPaths, runPaths, checkPaths, categoryPaths, exchangePaths, webPaths];

const error = (description: string) => json(description, schemaRef('Error'));

const RESPONSES = {
  BadRequest: error('a bad parameter or body: `field` names it (`page_size`, `body`, `contacts[0].userId`), `message` says why'),
  NotFound: error('no such resource'),
  Forbidden: error('a web page of an origin not allowed (forbidden_origin: --allow-origin, --allow-extension), another site\'s page (forbidden_site), or a Host that is not a loopback name (forbidden_host)'),
  Unauthorized: error('--auth is on and the request has no (or wrong) HTTP Basic credentials'),
  Conflict: error('the resource exists already'),
  TooLarge: error('the body is past its limit (1 MB; an import 256 MB; 1,000 events a request)'),
  StorageFailed: error('nothing was stored (a storage failure)'),
  StorageFull: error('nothing was stored: the disk (or the companion\'s memory) is full'),
  WebAppNotBuilt: error('the web app is not built into this companion (npm run build:companion)'),
};

/**
 * What every operation can also answer (403: security.ts's guards, before any route), and who
 * may call it: intake and the resources are open, the rest needs --auth's credentials.
 */
function secured(given: Operation, auth: boolean): Operation {
  const op = { ...given, responses: { ...given.responses, '403': { $ref: '#/components/responses/Forbidden' } } };
  if (!auth) return op;
  const open = op.tags.includes('resources');
  // Intake takes no credentials, but answers a caller with them more (duplicates named).
  const optional = op.tags.includes('intake');
  const security: Operation['security'] = open ? [] : optional ? [{}, { basicAuth: [] }] : [{ basicAuth: [] }];
  const responses = open || optional ? op.responses : { ...op.responses, '401': { $ref: '#/components/responses/Unauthorized' } };
  return { ...op, security, responses };
}

export function openApiDocument(options: DocumentOptions): Record<string, unknown> {
  const paths: Paths = {};
  for (const family of FAMILIES) {
    for (const [path, item] of Object.entries(family)) {
      if (paths[path]) throw new Error(`OpenAPI: ${path} is documented twice`);
      paths[path] = Object.fromEntries(Object.entries(item).map(([method, op]) => [method, secured(op!, options.auth)]));
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Visitor Lab companion',
      version: options.version,
      summary: 'A local Genesys Web Engagement (GWE) server: event intake, the History REST API, and the lab API for people and test suites.',
      description:
        (options.auth
          ? 'This companion runs with --auth: the History API, the lab API and the web app need HTTP Basic credentials; intake and the static resources do not.'
          : 'This companion runs without --auth: no route needs credentials (started with --auth user:pass, the History API, the lab API and the web app need HTTP Basic).') +
        ' See docs/api.md for the rules behind each route.',
    },
    // The companion's own address; servers() in route.ts puts the one the request came to.
    servers: [],
    tags: [
      { name: 'intake', description: 'Events from the tracker (GWE: POST /server/events)' },
      { name: 'History', description: "GWE's History REST API: visits, pages, events, identities" },
      { name: 'lab', description: "Visitor Lab's control API for people and test suites" },
      { name: 'resources', description: "GWE's static resources: the tracker and the default rules" },
      { name: 'web app', description: "The companion's web app (HTML and assets)" },
    ],
    paths,
    components: {
      schemas: schemas(),
      responses: RESPONSES,
      securitySchemes: { basicAuth: { type: 'http', scheme: 'basic', description: 'the user:pass given with --auth' } },
    },
  };
}

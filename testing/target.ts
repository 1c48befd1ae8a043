// What the waiting helpers and the matchers look at: a companion (all its visits), a Run (the
// visits its events went to) or one visit (`{companion, visitId}`).
import type { StoredEvent, VisitorState } from '../protocol/events';
import type { Companion, Run } from './companion';

export type Target = Companion | Run | { companion: Companion; visitId: string };

export interface SeenVisit {
  visitId: string;
  visitorState: VisitorState;
  /** Applied order, each event with the visit's state right after it. */
  events: StoredEvent[];
}

const isRun = (t: Target): t is Run => 'runId' in t && 'companion' in t;
const isOneVisit = (t: Target): t is { companion: Companion; visitId: string } => 'visitId' in t && 'companion' in t;

export const companionOf = (t: Target): Companion => (isRun(t) || isOneVisit(t) ? t.companion : (t as Companion));

/** Said in messages: "visit V", "run R (name)", "the companion at URL". */
export function targetText(t: Target): string {
  if (isOneVisit(t)) return `visit ${t.visitId}`;
  if (isRun(t)) return `run ${t.runId} (${t.name})`;
  return `the companion at ${(t as Companion).url}`;
}

/** The visit ids, newest first. At most the newest 1,000 of a whole companion. */
async function visitIdsOf(t: Target): Promise<string[]> {
  if (isOneVisit(t)) return [t.visitId];
  if (isRun(t)) return [...(await t.get()).visitIds].reverse();
  const rows = await (t as Companion).http.json<Array<{ visitId: string }>>('GET', '/lab/visits?page_size=1000');
  return rows.map((r) => r.visitId);
}

/** The target's visits, newest first, each with its events (a visit not (yet) there is left out). */
export async function readVisits(t: Target): Promise<SeenVisit[]> {
  const history = companionOf(t).history;
  const visits = await Promise.all(
    (await visitIdsOf(t)).map(async (visitId) => {
      const v = await history.visit(visitId, { events: true });
      return v ? { visitId, visitorState: v.visitorState, events: v.events ?? [] } : null;
    }),
  );
  return visits.filter((v): v is SeenVisit => v !== null);
}

/** What to check when nothing arrived: written for the person whose suite waits in vain. */
export function hints(t: Target): string {
  const c = companionOf(t);
  return [
    'Check that:',
    `- the extension is loaded (Chromium: --disable-extensions-except=DIR --load-extension=DIR, DIR from extensionDir() of this companion);`,
    `- it sends to this companion, ${c.url} (a copy from companion.extensionDir(); the popup shows its companion);`,
    `- the site is tracked: localhost and 127.0.0.1 are, any other host only when named in extensionDir({sites}) (or switched on in the popup);`,
    `- the page pushes what you wait for (_gt.push), and it is not rejected (the popup marks rejected pushes with "!").`,
  ].join('\n');
}

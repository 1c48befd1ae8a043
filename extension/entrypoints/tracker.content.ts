// The tracker in the page's own world, before any page script, so that it owns `window._gt`
// from the start. Registered at run time by the worker for the enabled sites (worker/sites.ts).
import { defineContentScript } from 'wxt/utils/define-content-script';
import { LAB_EVENT, type LabCommand } from '../shared/capture';
import { describeValue } from '../tracker/commands';
import { directSender, whenLoaded } from '../tracker/direct-link';
import { BATCH_MS, relayLink } from '../tracker/relay-link';
import { runDomainModel } from '../tracker/rules/run';
import { startTracker } from '../tracker/tracker';

export default defineContentScript({
  matches: ['*://localhost/*', '*://127.0.0.1/*'],
  registration: 'runtime',
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    // The built-in sites in Chromium send to the worker themselves, once the page has loaded;
    // elsewhere the relay carries the records (it opens the link when it comes).
    const direct = directSender(window);
    const link = relayLink(window, BATCH_MS, direct ?? undefined);
    if (direct) whenLoaded(window, link.open);
    const tracker = startTracker(window, {
      emit: (record, _config, leaving) => {
        // The worker records this page's PageExited from what follows it (worker/page-exits.ts):
        // a message sent while the page is being left held up the next page's commit.
        if (leaving && record.source === 'tracker') link.leave();
        else link.emit(record, leaving);
      },
      describe: describeValue,
      rules: runDomainModel,
    });
    if (!tracker) return;
    window.addEventListener(LAB_EVENT, (e) => {
      try {
        const lab = JSON.parse(String((e as CustomEvent).detail)) as LabCommand;
        if (lab.type === 'push') tracker.push(lab.command, 'lab');
        else if (lab.type === 'newVisit') tracker.newVisit();
      } catch {
        // A page can dispatch this event too; garbage is ignored.
      }
    });
  },
});

import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { SiteView } from '../../shared/messages';
import { ask } from '../hooks';

/** Tracking on this site: localhost and 127.0.0.1 are on out of the box; others on request. */
export function SiteToggle({ site, onChange }: { site: SiteView; onChange: () => void }) {
  const [note, setNote] = useState('');
  const toggle = async () => {
    const enabled = !site.enabled;
    if (enabled && !site.builtIn) {
      // Asked at the moment the user switches the site on (the popup click is the gesture).
      const granted = await browser.permissions.request({ origins: [`*://${site.host}/*`] }).catch(() => false);
      if (!granted) {
        setNote(`Permission for ${site.host} was not granted: the tracker cannot run there.`);
        return;
      }
    }
    await ask({ type: 'site:set', host: site.host, enabled });
    setNote(`Tracking ${enabled ? 'on' : 'off'} for ${site.host}: reload the page to apply.`);
    onChange();
  };
  return (
    <div id="site" data-enabled={String(site.enabled)}>
      <label>
        <input id="site-toggle" type="checkbox" checked={site.enabled} onChange={() => void toggle()} /> Track {site.host}
      </label>
      {note ? <span class="muted"> {note}</span> : null}
    </div>
  );
}

import { useState } from 'preact/hooks';
import { ask } from '../hooks';

type Notice = { ok: boolean; text: string } | null;

/** What a tester sends without editing the site: pushed into the page's `_gt` as commands. */
export function Actions({ tabId, onDone }: { tabId: number; onDone: () => void }) {
  const [who, setWho] = useState('');
  const [eventName, setEventName] = useState('');
  const [eventData, setEventData] = useState('');
  const [notice, setNotice] = useState<Notice>(null);

  const push = async (command: unknown[], label: string) => {
    try {
      await ask({ type: 'tab:lab', tabId, lab: { type: 'push', command } });
      setNotice({ ok: true, text: `${label} pushed` });
    } catch (e) {
      setNotice({ ok: false, text: `${label} not pushed: ${(e as Error).message} (reload the page?)` });
    }
    onDone();
  };
  const identifier = () => (who.includes('@') ? { email: who.trim() } : { userId: who.trim() });
  const business = () => {
    let data: unknown = {};
    if (eventData.trim()) {
      try {
        data = JSON.parse(eventData);
      } catch (e) {
        setNotice({ ok: false, text: `data is not JSON: ${(e as Error).message}` });
        return;
      }
    }
    void push(['event', eventName.trim(), { data }], eventName.trim() || 'event');
  };
  const newVisit = async () => {
    await ask({ type: 'tab:newVisit', tabId }).catch(() => undefined);
    setNotice({ ok: true, text: 'cookies cleared; the page reloads into a new visit' });
    onDone();
  };

  return (
    <div id="actions">
      <div class="row">
        <input id="action-who" placeholder="userId or email" value={who} onInput={(e) => setWho((e.target as HTMLInputElement).value)} />
        <button id="action-signin" onClick={() => void push(['event', 'SignIn', { data: identifier() }], 'SignIn')}>
          SignIn
        </button>
        <button id="action-userinfo" onClick={() => void push(['event', 'UserInfo', { data: { userId: who.trim() } }], 'UserInfo')}>
          UserInfo
        </button>
        <button id="action-signout" onClick={() => void push(['event', 'SignOut', { data: {} }], 'SignOut')}>
          SignOut
        </button>
      </div>
      <div class="row">
        <input id="action-event-name" placeholder="Business event, e.g. AddToCart" value={eventName} onInput={(e) => setEventName((e.target as HTMLInputElement).value)} />
        <input id="action-event-data" placeholder='data (JSON), e.g. {"sku":"42"}' value={eventData} onInput={(e) => setEventData((e.target as HTMLInputElement).value)} />
        <button id="action-event" onClick={business}>
          Send
        </button>
      </div>
      <div class="row">
        <button id="action-new-visit" onClick={() => void newVisit()} title="Clears the visitID and sessionID cookies and reloads the page">
          Start a new visit
        </button>
      </div>
      {notice ? (
        <p id="action-notice" class={notice.ok ? 'notice' : 'notice rejected'} data-ok={String(notice.ok)}>
          {notice.text}
        </p>
      ) : null}
    </div>
  );
}

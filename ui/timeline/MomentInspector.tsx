// Everything about one moment: when and where, the `_gt.push` as the page gave it (and the form
// it matched), the event it became, the delivery (the companion's answer, reason, warning) and
// the visitor state before and after it.
import type { ComponentChildren } from 'preact';
import type { VisitorState } from '../../protocol/events';
import { deliveryText, formatTimeMs, momentName } from './format';
import { KIND_LETTER, KIND_TEXT, STATE_ICON } from './labels';
import type { MarkKind } from './model';
import type { Moment } from './story';

export interface MomentInspectorProps {
  /** The moment shown; none: a hint to select one. */
  moment?: Moment;
  /** The visitor state before and after the moment (a Mark's stateBefore / stateAfter). */
  before?: VisitorState;
  after?: VisitorState;
}

const json = (v: unknown) => JSON.stringify(v, null, 2);

function kindOf(m: Moment): MarkKind {
  return !m.event ? 'command' : m.event.eventType === 'BUSINESS' ? 'business' : 'system';
}

function Field({ name, children }: { name: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}

function State({ state }: { state?: VisitorState }) {
  if (!state) return <span class="vl-muted">unknown</span>;
  return (
    <span class={`vl-state-chip vl-state-${state.toLowerCase()}`}>
      <span aria-hidden="true">{STATE_ICON[state]} </span>
      {state}
    </span>
  );
}

export function MomentInspector({ moment: m, before, after }: MomentInspectorProps) {
  if (!m) {
    return (
      <section class="vl-inspector vl-inspector-empty" aria-label="Moment details">
        <p class="vl-muted">Select a mark (click it, or Enter on it) to see everything about it.</p>
      </section>
    );
  }
  const kind = kindOf(m);
  const d = m.delivery;
  const c = m.command;
  const rejected = d?.state === 'rejected' || c?.outcome === 'rejected';
  const name = momentName(m);
  return (
    <section class={`vl-inspector${rejected ? ' vl-inspector-rejected' : ''}`} aria-label={`Moment details: ${name}`}>
      <h3 class="vl-inspector-title">
        <span class={`vl-mark vl-${kind} vl-sample${rejected ? ' vl-rejected' : ''}`} aria-hidden="true">
          <span class="vl-mark-letter">{KIND_LETTER[kind]}</span>
        </span>{' '}
        {name} <span class="vl-muted">({KIND_TEXT[kind]})</span>
      </h3>
      {rejected ? (
        <p class="vl-alert" role="alert">
          <strong>! Rejected</strong>
          {d?.state === 'rejected' ? ` by ${d.by ?? 'the companion'}` : ' in the page (no event was made)'}
          {d?.field ? `, field ${d.field}` : ''}: {d?.reason ?? c?.reason ?? 'no reason given'}
        </p>
      ) : null}
      <dl class="vl-fields">
        <Field name="Time">{formatTimeMs(m.at)}</Field>
        <Field name="State">
          <State state={before} /> <span aria-hidden="true">→</span>
          <span class="vl-sr"> to </span> <State state={after ?? m.stateAfter} />
        </Field>
        <Field name="Delivery">
          <span class={`vl-delivery vl-d-${d?.state ?? 'none'}`}>{deliveryText(m)}</span>
          {d?.by ? ` (by ${d.by})` : ''}
          {d?.reason && !rejected ? ` — ${d.reason}` : ''}
        </Field>
        {d?.warning ? (
          <Field name="Warning">
            <span class="vl-warning-text">⚠ {d.warning}</span>
          </Field>
        ) : null}
        <Field name="Page">
          {m.title ? `${m.title} ` : ''}
          {m.pageID ? (
            <>
              (pageID <code>{m.pageID}</code>)
            </>
          ) : (
            '(no page)'
          )}
          {m.tab ? ` · tab ${m.tab}` : ''}
        </Field>
        {m.url ? <Field name="URL">{m.url}</Field> : null}
        {m.event?.sessionID ? <Field name="Session">{m.event.sessionID}</Field> : null}
      </dl>
      {c ? (
        <details open>
          <summary>
            Command ({c.source}
            {c.form ? `, form ${c.form}` : ''}, outcome {c.outcome})
          </summary>
          <pre class="vl-json" aria-label="Command as pushed">{json(c.raw)}</pre>
        </details>
      ) : null}
      {m.event ? (
        <details open>
          <summary>Event {m.event.eventID}</summary>
          <pre class="vl-json" aria-label="Event JSON">{json(m.event)}</pre>
        </details>
      ) : null}
      {d ? (
        <details>
          <summary>Server answer</summary>
          <pre class="vl-json" aria-label="Delivery JSON">{json(d)}</pre>
        </details>
      ) : null}
    </section>
  );
}

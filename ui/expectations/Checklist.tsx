// A check report (protocol/expectations) as a checklist a tester ticks off while browsing: each
// expectation with its status, a visit expectation's steps (met ones ticked, the first unmet one
// marked, with the report's message and the events around it), the visit that met it. Shared by
// the popup (compact) and the web app (full); the host app says how to link a visit.
import type { ComponentChildren } from 'preact';
import { stepText } from '../../protocol/expectations/describe';
import type { CheckReport, ExpectationResult, Spec, StepFailure } from '../../protocol/expectations/types';
import { resultStatus, STATUS_TEXT, type Status } from './status';

export interface ChecklistProps {
  spec: Spec;
  report: CheckReport;
  /** Narrow (the popup, 360-400 px): messages and found events folded away. */
  compact?: boolean;
  /** The browsing is over: what is unmet failed (else it is "not yet"). */
  final?: boolean;
  /** A link to a visit, as the host app makes them; absent: the id as text. */
  visitLink?: (visitId: string) => ComponentChildren;
}

export function StatusMark({ status }: { status: Status }) {
  const { symbol, word } = STATUS_TEXT[status];
  return (
    <span class={`vl-check-status vl-check-${status}`}>
      <span aria-hidden="true" class="vl-check-symbol">
        {symbol}
      </span>{' '}
      {word}
    </span>
  );
}

function Found({ found }: { found: StepFailure['found'] }) {
  if (found.length === 0) return null;
  return (
    <ul class="vl-check-found" aria-label="Events found around it">
      {found.map((f, i) => (
        <li key={i}>
          <code>{f.eventName}</code>
          {f.url ? ` ${shortUrl(f.url)}` : ''}
          {f.visitorState ? ` (${f.visitorState})` : ''}
        </li>
      ))}
    </ul>
  );
}

const shortUrl = (url: string) => {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
};

/** The message and the events around it: open in the full view, one key away in the popup. */
function Why({ message, found, compact }: { message: string; found?: StepFailure['found']; compact?: boolean }) {
  const body = (
    <>
      <p class="vl-check-message">{message}</p>
      {found ? <Found found={found} /> : null}
    </>
  );
  return compact ? (
    <details class="vl-check-why">
      <summary>Why</summary>
      {body}
    </details>
  ) : (
    <div class="vl-check-why">{body}</div>
  );
}

function Steps({ result, spec, status, compact }: { result: ExpectationResult; spec: Spec; status: Status; compact?: boolean }) {
  const index = Number(/^visits\[(\d+)\]$/.exec(result.place)?.[1]);
  const steps = spec.visits?.[index]?.steps ?? [];
  const met = result.stepsMet ?? 0;
  const failure = result.failure && 'place' in result.failure ? result.failure : undefined;
  return (
    <ol class="vl-check-steps" aria-label={`Steps of ${result.name}`}>
      {steps.map((step, i) => {
        const s: Status = i < met ? 'met' : i === met ? (status === 'failed' ? 'failed' : 'not-yet') : 'to-come';
        const current = i === met && !result.passed;
        return (
          <li key={i} class={`vl-check-step vl-check-${s}`} aria-current={current ? 'step' : undefined}>
            <StatusMark status={s} /> <code class="vl-check-step-text">{stepText(step)}</code>
            {current && failure ? <Why message={failure.message} found={failure.found} compact={compact} /> : null}
          </li>
        );
      })}
    </ol>
  );
}

function Expectation({ result, props }: { result: ExpectationResult; props: ChecklistProps }) {
  const status = resultStatus(result, props.final ?? false);
  const isVisit = result.place.startsWith('visits[');
  const failure = result.failure;
  // A step's failure is told at the step; any other (taken by another expectation, an identity, a flag) here.
  const message = failure && !('place' in failure) ? failure.message : undefined;
  const steps = isVisit ? props.spec.visits?.[Number(/\d+/.exec(result.place)?.[0])]?.steps.length : undefined;
  return (
    <li class={`vl-check-item vl-check-${status}`} data-place={result.place}>
      <div class="vl-check-head">
        <StatusMark status={status} /> <strong class="vl-check-name">{result.name}</strong>
        {steps !== undefined ? (
          <span class="vl-check-count">
            {' '}
            {result.stepsMet ?? 0} of {steps} steps
          </span>
        ) : null}
        {result.visitId ? (
          <span class="vl-check-visit">
            {' '}
            by visit {props.visitLink ? props.visitLink(result.visitId) : <code>{result.visitId}</code>}
          </span>
        ) : null}
      </div>
      {message ? <Why message={message} compact={props.compact} /> : null}
      {isVisit ? <Steps result={result} spec={props.spec} status={status} compact={props.compact} /> : null}
    </li>
  );
}

/** The verdict line: passed, or how many are still to come (not yet), or failed when final. */
export function verdictOf(report: CheckReport, final: boolean): { status: Status; text: string } {
  const { passed, failed } = report.summary;
  const total = passed + failed;
  if (report.passed) return { status: 'met', text: `Passed: ${passed} of ${total} met` };
  if (final) return { status: 'failed', text: `Failed: ${passed} of ${total} met` };
  return { status: 'not-yet', text: `Not yet: ${passed} of ${total} met` };
}

export function Checklist(props: ChecklistProps) {
  const { report, compact, final = false } = props;
  const verdict = verdictOf(report, final);
  const scope = report.scope.run ? `run ${report.scope.run}` : report.scope.visitId ? `visit ${report.scope.visitId}` : 'everything';
  return (
    <section class={`vl-checklist${compact ? ' vl-check-compact' : ''}`} aria-label={`Spec ${report.spec}`}>
      <p class={`vl-check-verdict vl-check-${verdict.status}`} role="status">
        <span aria-hidden="true" class="vl-check-symbol">
          {STATUS_TEXT[verdict.status].symbol}
        </span>{' '}
        {verdict.text}
        <span class="vl-check-scope">
          {' '}
          · {compact ? '' : `${report.spec} · ${scope}, `}
          {report.scope.visits} {report.scope.visits === 1 ? 'visit' : 'visits'}
        </span>
      </p>
      <ol class="vl-check-list" aria-label={`Expectations of ${report.spec}`}>
        {report.results.map((r) => (
          <Expectation key={r.place} result={r} props={props} />
        ))}
      </ol>
    </section>
  );
}

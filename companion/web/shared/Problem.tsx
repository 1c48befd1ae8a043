// An error as the API said it, in an alert so a screen reader hears it.
import { ApiError } from './api';

export function Problem({ error, what }: { error: Error; what: string }) {
  const auth = error instanceof ApiError && error.status === 401;
  return (
    <div role="alert" class="problem">
      <strong>Could not load {what}.</strong> {error.message}
      {auth && <span> Reload the page to enter the companion's credentials (--auth).</span>}
    </div>
  );
}

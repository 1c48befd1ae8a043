// The id rules of protocol/events.ts as a zod schema, for the bodies still checked with zod
// (visits, contacts). Kept apart so that events.ts, which the extension bundles, needs no zod.
import { z } from 'zod';
import { idProblem, LIMITS } from './events';

export const IdSchema = z
  .string()
  .max(LIMITS.idLength)
  .check((ctx) => {
    const message = idProblem(ctx.value);
    if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
  });

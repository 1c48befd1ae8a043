// The body of POST /server/data/visits (a visit created through the History API).
import { z } from 'zod';
import { IdSchema } from './ids';

export const VisitInputSchema = z
  .object({
    visitId: IdSchema.optional(),
    globalVisitID: IdSchema.optional(),
    startDate: z.number().finite().nonnegative().optional(),
    userAgent: z.string().max(2048).optional(),
  })
  .strict();
export type VisitInput = z.infer<typeof VisitInputSchema>;

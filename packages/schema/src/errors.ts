import { z } from 'zod';

/** The one shape every API error takes. */
export const apiError = z
  .object({
    error: z.object({
      code: z.string().describe('Machine-readable reason, e.g. invalid_geometry, version_mismatch'),
      message: z.string().describe('What went wrong, for a person'),
      field: z.string().optional().describe('The field, parameter or header at fault, when there is one'),
    }),
  })
  .describe('An error');

export type ApiError = z.infer<typeof apiError>;

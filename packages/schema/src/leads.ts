import { z } from 'zod';

// Enquiries about a space and the pipeline that follows them to move-in (/api/leads), and an
// enterprise's service file (/api/enterprises/{uscc}/file).

const code = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only, 1 to 64 characters');
const date = z.iso.date().describe('YYYY-MM-DD');
const uscc = z.string().describe('Unified social credit code (GB 32100-2015)');

/** The pipeline in order; a lead moves one step forward at a time, or to `lost` before signing. */
export const LEAD_STAGES = ['new', 'contacted', 'site_visit', 'negotiating', 'signed', 'moved_in'] as const;
export const LEAD_STATES = [...LEAD_STAGES, 'lost'] as const;
export type LeadStage = (typeof LEAD_STATES)[number];

export const leadInput = z
  .strictObject({
    enterprise: uscc.optional().describe('A known enterprise, or give company_name'),
    company_name: z.string().min(1).max(200).optional(),
    contact_name: z.string().min(1).max(100),
    contact_phone: z.string().max(40).optional(),
    contact_email: z.email().optional(),
    industry: z.string().regex(/^[A-T]([0-9]{2})?$/, 'a GB/T 4754 section or division such as C27').optional(),
    unit: code.optional(),
    parcel: code.optional(),
    note: z.string().max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.unit === undefined) === (v.parcel === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['unit'], message: 'an enquiry is about exactly one space: give unit or parcel' });
    }
    if (v.enterprise === undefined && v.company_name === undefined) {
      ctx.addIssue({ code: 'custom', path: ['company_name'], message: 'give enterprise (a USCC) or company_name' });
    }
  });

export const leadEvent = z.object({
  from_stage: z.string().nullable(),
  to_stage: z.string(),
  at: z.string(),
  actor: z.string(),
  note: z.string().nullable(),
  lease: z.number().int().nullable(),
});

export const lead = z.object({
  id: z.number().int(),
  enterprise: z.string().nullable(),
  company_name: z.string().nullable(),
  contact_name: z.string(),
  contact_phone: z.string().nullable(),
  contact_email: z.string().nullable(),
  industry: z.string().nullable(),
  unit: z.string().nullable(),
  parcel: z.string().nullable(),
  park: z.string().nullable().describe('Derived from the space'),
  stage: z.enum(LEAD_STATES),
  lost_reason: z.string().nullable(),
  lease: z.number().int().nullable().describe('The lease signing created'),
  note: z.string().nullable(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  events: z.array(leadEvent).optional(),
});
export type Lead = z.infer<typeof lead>;

export const leadListQuery = z.strictObject({
  park: code.optional(),
  stage: z.enum(LEAD_STATES).optional(),
  enterprise: z.string().max(18).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export const leadList = z.object({ items: z.array(lead) });

export const leaseTerms = z
  .strictObject({
    enterprise: uscc.optional().describe("The tenant; default the lead's enterprise"),
    start_date: date,
    end_date: date.optional().describe('Last day (included); absent: open-ended'),
    rent_cny_m2_month: z.number().nonnegative().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.end_date !== undefined && v.end_date < v.start_date) {
      ctx.addIssue({ code: 'custom', path: ['end_date'], message: `end_date (${v.end_date}) is before start_date (${v.start_date})` });
    }
  });

export const leadTransitionInput = z.strictObject({
  to: z.enum(LEAD_STATES),
  note: z.string().max(2000).optional(),
  lost_reason: z.string().min(1).max(500).optional().describe('Required when to = lost'),
  lease: leaseTerms.optional().describe('Required when to = signed: the lease signing creates'),
});

export const pipelineQuery = z.strictObject({ park: code.optional() });
export const pipeline = z.object({
  park: z.string().nullable(),
  stages: z.record(z.string(), z.number().int()).describe('Leads per stage, lost included'),
  total: z.number().int(),
});

export const serviceFile = z.object({
  enterprise: z.record(z.string(), z.unknown()),
  enquiries: z.array(lead),
  leases: z.array(z.record(z.string(), z.unknown())),
  projects: z.array(z.record(z.string(), z.unknown())),
  indicators: z
    .array(z.object({ at: z.string(), version: z.number().int(), actor: z.string(), revenue_cny: z.number().nullable(), tax_cny: z.number().nullable(), employees: z.number().nullable() }))
    .describe('Revenue, tax and employees as recorded, oldest first (from the history of writes; the current figures last)'),
});

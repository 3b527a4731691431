import { z } from 'zod';

// The attributes of every collection, as written by clients (…Input) and as read back (…Properties:
// the input plus what the database derives). Input objects are strict: an unknown field is an error.

const code = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only, 1 to 64 characters');
const date = z.iso.date().describe('YYYY-MM-DD');
const text = z.string().max(500);
const money = z.number().nonnegative().describe('CNY');
const share = z.number().min(0).max(1);
const landUse = z.string().regex(/^[A-Z][0-9]$/, 'a GB 50137 class such as M1, B1, R2').describe('GB 50137-2011 land-use class (see /api/codes/land-use)');
const industry = z.string().regex(/^[A-T]([0-9]{2})?$/, 'a GB/T 4754 section or division such as C27, I65').describe('GB/T 4754-2017 industry section or division');
const uscc = z.string().describe('Unified social credit code (GB 32100-2015), 18 characters with its check character');

const derived = {
  version: z.number().int().describe('Increases with every write; the ETag'),
  updated_at: z.string().describe('Time of the last write'),
};
/** Who supplies a record and the day they last confirmed it (issue 6): set by imports, filterable. */
const provenance = {
  department: text.nullish().describe('Department that supplies this record'),
  verified_at: date.nullish().describe('Day the supplying department last confirmed this record'),
};
const areaDerived = {
  area_m2: z.number().describe('True ground area in m²'),
  area_mu: z.number().describe('Area in mu (亩), 1 mu = 666.67 m²'),
};

export const PARCEL_STATUSES = ['idle', 'available', 'under_construction', 'occupied', 'reserved'] as const;
export const BUILDING_USES = ['industrial', 'office', 'research', 'warehouse', 'commercial', 'residential', 'mixed', 'public'] as const;
export const BUILDING_STATUSES = ['planned', 'under_construction', 'completed'] as const;
export const UNIT_KINDS = ['office', 'workshop', 'lab', 'warehouse', 'retail'] as const;
export const UNIT_STATUSES = ['vacant', 'leased', 'reserved'] as const;
export const LEASE_STATUSES = ['future', 'active', 'ended'] as const;
export const PROJECT_STATUSES = ['planned', 'approved', 'under_construction', 'completed', 'operating'] as const;

export const corridorInput = z.strictObject({
  code,
  name: text.min(1),
  name_en: text.nullish(),
  theme: text.nullish(),
});
export const corridorProperties = corridorInput.extend({ ...areaDerived, ...derived });

export const areaInput = z.strictObject({
  code,
  name: text.min(1),
  name_en: text.nullish(),
});
export const areaProperties = areaInput.extend({ ...areaDerived, ...derived });

export const parkInput = z.strictObject({
  code,
  name: text.min(1),
  name_en: text.nullish(),
  theme: text.nullish(),
  theme_industries: z.array(industry).max(50).optional().describe('GB/T 4754 codes of the park theme industries'),
  operator: text.nullish().describe('Operating company'),
  committee: text.nullish().describe('Management committee'),
});
export const parkProperties = parkInput.extend({ ...areaDerived, ...derived });

export const parcelInput = z.strictObject({
  code: code.describe('Parcel code (宗地代码)'),
  name: text.nullish(),
  land_use: landUse,
  status: z.enum(PARCEL_STATUSES),
  approval_date: date.nullish().describe('Approved for construction use'),
  supply_date: date.nullish().describe('Supplied (transferred or allocated) to its user'),
  agreed_start_date: date.nullish().describe('Start of construction agreed in the contract'),
  agreed_completion_date: date.nullish(),
  start_date: date.nullish().describe('Construction actually started'),
  completion_date: date.nullish(),
  developed_share: share.nullish().describe('Developed area ÷ area due, 0–1'),
  invested_share: share.nullish().describe('Investment made ÷ total agreed investment, 0–1'),
  stopped_since: date.nullish().describe('Development stopped since'),
  idle_exemption: text.nullish().describe('Reason a delay is excluded (government action, force majeure)'),
  plot_ratio_min: z.number().nonnegative().nullish(),
  plot_ratio_max: z.number().nonnegative().nullish(),
  price_cny: money.nullish().describe('Land price, CNY'),
  enterprise: uscc.nullish().describe('USCC of the land user'),
  ...provenance,
});
export const parcelProperties = parcelInput.extend({
  ...areaDerived,
  park: z.string().nullable().describe('Park containing the parcel (derived from geometry)'),
  area: z.string().nullable().describe('Development area containing the parcel (derived)'),
  corridor: z.string().nullable().describe('Corridor containing the parcel (derived)'),
  ...derived,
});

export const buildingInput = z.strictObject({
  code,
  parcel: code.describe('Code of the parcel the building stands on'),
  name: text.nullish(),
  floors: z.number().int().min(1).max(200),
  height_m: z.number().positive().nullish(),
  gross_floor_area_m2: z.number().positive().nullish(),
  use: z.enum(BUILDING_USES),
  status: z.enum(BUILDING_STATUSES),
  completion_year: z.number().int().min(1900).max(2100).nullish(),
  ...provenance,
});
export const buildingProperties = buildingInput.extend({
  footprint_m2: z.number(),
  units: z.number().int(),
  vacant_units: z.number().int(),
  unit_area_m2: z.number(),
  vacant_area_m2: z.number(),
  vacancy_rate: z.number().nullable().describe('Vacant ÷ total unit floor area today, 0–1'),
  park: z.string().nullable(),
  area: z.string().nullable(),
  ...derived,
});

export const unitInput = z.strictObject({
  code,
  building: code,
  floor: z.number().int().min(-10).max(200).refine((f) => f !== 0, 'floors are numbered 1, 2 … above ground and -1, -2 … below'),
  name: text.nullish(),
  kind: z.enum(UNIT_KINDS),
  area_m2: z.number().positive(),
  rent_cny_m2_month: money.nullish().describe('Asking rent, CNY per m² per month'),
  reserved: z.boolean().optional(),
  move_in_ready: z.boolean().optional().describe('Fitted out, move in with a bag in hand (拎包入住)'),
  floor_load_kn_m2: z.number().positive().nullish(),
  clear_height_m: z.number().positive().nullish(),
  power_kva: z.number().nonnegative().nullish(),
  available_from: date.nullish(),
  ...provenance,
});
export const unitProperties = unitInput.extend({
  status: z.enum(UNIT_STATUSES).describe('Today, derived from leases'),
  tenant: z.string().nullable().describe('USCC of the current tenant'),
  parcel: z.string(),
  park: z.string().nullable(),
  area: z.string().nullable(),
  ...derived,
});

export const enterpriseInput = z.strictObject({
  uscc,
  name: text.min(1),
  name_en: text.nullish(),
  industry,
  high_tech: z.boolean().optional(),
  employees: z.number().int().nonnegative().nullish(),
  revenue_cny: money.nullish().describe('Annual revenue, CNY'),
  tax_cny: money.nullish().describe('Annual tax paid, CNY'),
  park: code.nullish().describe('Park the enterprise is registered with'),
  registered_date: date.nullish(),
  contact_name: text.nullish(),
  contact_phone: z.string().max(40).nullish(),
  ...provenance,
});
export const enterpriseProperties = enterpriseInput.extend({ ...derived });

export const leaseInput = z.strictObject({
  enterprise: uscc,
  unit: code.nullish(),
  parcel: code.nullish(),
  start_date: date,
  end_date: date.nullish().describe('Last day of the lease (included); empty: open-ended'),
  rent_cny_m2_month: money.nullish(),
});
export const leaseProperties = leaseInput.extend({
  id: z.number().int(),
  status: z.enum(LEASE_STATUSES).describe('Today'),
  ...derived,
});

export const projectInput = z.strictObject({
  code,
  name: text.min(1),
  name_en: text.nullish(),
  investment_cny: z.number().positive().describe('Total investment, CNY'),
  status: z.enum(PROJECT_STATUSES),
  industry: industry.nullish(),
  start_date: date.nullish(),
  completion_date: date.nullish(),
  parcel: code.nullish(),
  area: code.nullish(),
  corridor: code.nullish(),
  park: code.nullish(),
  enterprise: uscc.nullish(),
  ...provenance,
});
export const projectProperties = projectInput.extend({ ...derived });

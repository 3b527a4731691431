/**
 * The companies of the zone, created as the land and the buildings need them: a land user when a
 * parcel is supplied, a tenant when a unit is let. Each is created once, with a unified social credit
 * code that is unique by construction (no set of codes held in memory, so a million are fine).
 */
import { usccCheckChar, USCC_ALPHABET } from '@parkatlas/schema';
import { SUPPORT_INDUSTRIES, type LandUse, type ParkDef } from './catalog.ts';
import { dayFromCivil, formatDay, type Day } from './dates.ts';
import { companyName, personName, phoneNumber } from './names.ts';
import { Rng } from './prng.ts';
import type { EnterpriseRow, UnitKind } from './types.ts';

// GB 11714-1997 organization code: 8 characters and a mod-11 check character.
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
function orgCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = first8.charCodeAt(i);
    sum += (c <= 57 ? c - 48 : c - 55) * ORG_WEIGHTS[i];
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** Registrations from October 2015 on get codes issued with the USCC itself ('MA…'). */
const USCC_ERA = dayFromCivil(2015, 10, 1);

/**
 * The n-th organization code of its kind. An affine map modulo the code space is a bijection, so
 * distinct n give distinct codes, scattered so that neighbours do not look sequential.
 */
export function organizationCode(n: number, modern: boolean): string {
  if (modern) {
    const space = 31 ** 6;
    let v = (n * 104729 + 3_412_903) % space;
    let body = '';
    for (let i = 0; i < 6; i++, v = Math.floor(v / 31)) body = USCC_ALPHABET[v % 31] + body;
    return 'MA' + body + orgCheckChar('MA' + body);
  }
  const digits = String((n * 48271 + 12_345_678) % 100_000_000).padStart(8, '0');
  return digits + orgCheckChar(digits);
}

/** Registration divisions: Jining city, Rencheng, Yanzhou, Qufu and Zoucheng (GB/T 2260). */
const DIVISIONS: Record<string, number> = { 370800: 0.55, 370811: 0.25, 370812: 0.08, 370881: 0.06, 370883: 0.06 };

/** '9' (market regulator) + '1' (company) + division + organization code + check character. */
export function makeUscc(division: string, orgCode: string): string {
  const first17 = `91${division}${orgCode}`;
  return first17 + usccCheckChar(first17);
}

const HIGH_TECH = new Set(['C26', 'C27', 'C35', 'C36', 'C38', 'C39', 'C40', 'I63', 'I64', 'I65', 'M73', 'M74', 'M75']);

/** What a project or report needs to know about an enterprise after its row is written. */
export interface EnterpriseRef {
  uscc: string;
  industry: string;
  brand: string;
  brand_en: string;
  registered: Day;
}

/** The divisions that suit a land user, by the land use of its parcel and the park's themes. */
function landUserIndustries(park: ParkDef | null, use: LandUse): readonly string[] {
  const theme = park?.industries ?? [];
  const manufacturing = theme.filter((c) => c.startsWith('C'));
  switch (use) {
    case 'M1': case 'M2': return manufacturing.length ? manufacturing : theme.length ? theme : SUPPORT_INDUSTRIES.workshop;
    case 'W1': return SUPPORT_INDUSTRIES.warehouse;
    case 'B1': return SUPPORT_INDUSTRIES.retail;
    case 'B2': return theme.some((c) => !c.startsWith('C')) ? theme.filter((c) => !c.startsWith('C')) : SUPPORT_INDUSTRIES.office;
    case 'R2': return SUPPORT_INDUSTRIES.residential;
    case 'A1': return SUPPORT_INDUSTRIES.administration;
    case 'A3': return SUPPORT_INDUSTRIES.education;
    case 'A5': return SUPPORT_INDUSTRIES.health;
    case 'U1': return SUPPORT_INDUSTRIES.utility;
    case 'S4': return SUPPORT_INDUSTRIES.transport;
    case 'G1': return SUPPORT_INDUSTRIES.green;
  }
}

/** The divisions that suit a tenant of a unit of the given kind in the given park. */
function tenantIndustries(park: ParkDef | null, kind: UnitKind): readonly string[] {
  const theme = park?.industries ?? [];
  const manufacturing = theme.filter((c) => c.startsWith('C'));
  const services = theme.filter((c) => !c.startsWith('C'));
  switch (kind) {
    case 'workshop': return manufacturing.length ? manufacturing : SUPPORT_INDUSTRIES.workshop;
    case 'warehouse': return SUPPORT_INDUSTRIES.warehouse;
    case 'office': return services.length ? services : SUPPORT_INDUSTRIES.office;
    case 'lab': return [...SUPPORT_INDUSTRIES.lab, ...theme];
    case 'retail': return SUPPORT_INDUSTRIES.retail;
  }
}

/** Keep only the latest candidates per pool: reuse stays local and memory stays flat. */
const POOL_LIMIT = 400;
const EARLIEST_REGISTRATION = dayFromCivil(1992, 1, 1);

export class EnterpriseFactory {
  private readonly rng: Rng;
  private readonly pools = new Map<string, EnterpriseRef[]>();
  private pending: EnterpriseRow[] = [];
  private legacyCount = 0;
  private modernCount = 0;
  /** Enterprises created so far. */
  count = 0;

  constructor(seed: number) {
    this.rng = Rng.for(seed, 3);
  }

  /** The rows created since the last call, in creation order. */
  drain(): EnterpriseRow[] {
    const rows = this.pending;
    this.pending = [];
    return rows;
  }

  /**
   * The holder of a parcel supplied on `supplied`. Almost half are companies that already hold land in
   * the same park for the same kind of use (a second plot, a phase two).
   */
  landUser(park: ParkDef | null, use: LandUse, supplied: Day): EnterpriseRef {
    const pool = this.pool(`${park?.code ?? '-'}|land|${use}`);
    const reuse = this.reusable(pool, supplied, 0.45);
    if (reuse) return reuse;
    const created = this.create(park, this.rng.pick(landUserIndustries(park, use)), supplied, 2.2);
    pool.push(created);
    return created;
  }

  /** A tenant for a lease of a `kind` unit starting on `from`; most tenants rent several units. */
  tenant(park: ParkDef | null, kind: UnitKind, from: Day): EnterpriseRef {
    const pool = this.pool(`${park?.code ?? '-'}|tenant|${kind}`);
    const reuse = this.reusable(pool, from, 0.96);
    if (reuse) return reuse;
    const created = this.create(park, this.rng.pick(tenantIndustries(park, kind)), from, 1);
    pool.push(created);
    return created;
  }

  private pool(key: string): EnterpriseRef[] {
    let pool = this.pools.get(key);
    if (!pool) this.pools.set(key, (pool = []));
    if (pool.length > POOL_LIMIT) pool.splice(0, pool.length - POOL_LIMIT);
    return pool;
  }

  /** An existing company registered before `day`, with probability `p`, if the pool has one. */
  private reusable(pool: EnterpriseRef[], day: Day, p: number): EnterpriseRef | null {
    if (pool.length === 0 || !this.rng.chance(p)) return null;
    for (let tries = 0; tries < 3; tries++) {
      const e = this.rng.pick(pool);
      if (e.registered < day) return e;
    }
    return null;
  }

  private create(park: ParkDef | null, industry: string, before: Day, scale: number): EnterpriseRef {
    const rng = this.rng;
    const registered = Math.max(EARLIEST_REGISTRATION, before - rng.int(30, 4500));
    const modern = registered >= USCC_ERA;
    const org = organizationCode(modern ? this.modernCount++ : this.legacyCount++, modern);
    const uscc = makeUscc(rng.weighted(DIVISIONS), org);
    const names = companyName(rng, industry);
    const makes = industry.startsWith('C');
    const trades = industry === 'F51' || industry === 'G59' || industry === 'G58';
    const employees = Math.round(Math.min(8000, Math.max(3, rng.logNormal(makes ? 110 : 28, 0.9) * scale)));
    // Revenue per employee-year, CNY: factories and traders turn over far more per head than services.
    const perHead = makes ? rng.range(0.6e6, 2.4e6) : trades ? rng.range(1.5e6, 5e6) : rng.range(0.2e6, 0.9e6);
    const revenue = Math.round(employees * perHead * rng.logNormal(1, 0.35));
    const tax = Math.round(revenue * rng.range(0.015, 0.085));
    this.pending.push({
      uscc,
      name: names.name,
      name_en: names.name_en,
      industry,
      high_tech: rng.chance(HIGH_TECH.has(industry) ? 0.42 : 0.04),
      employees,
      revenue_cny: revenue,
      tax_cny: tax,
      park: park?.code ?? null,
      registered_date: formatDay(registered),
      contact_name: personName(rng),
      contact_phone: phoneNumber(rng),
    });
    this.count++;
    return { uscc, industry, brand: names.brand, brand_en: names.brand_en, registered };
  }
}

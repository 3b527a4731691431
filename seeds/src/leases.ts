/**
 * Who occupied what, when. Every unit gets a short history of tenancies (ended, current, signed for
 * later) and every held parcel the land-use right of its holder. Leases of one unit or one parcel are
 * laid end to end with gaps, never overlapping (the lease table's exclusion constraints, days
 * inclusive), and whether a unit is let today is steered so vacant floor space stays near its target.
 */
import type { LandUse, ParkDef } from './catalog.ts';
import { addYears, formatDay, type Day } from './dates.ts';
import type { EnterpriseFactory, EnterpriseRef } from './enterprises.ts';
import { TENURE_YEARS, type ParcelFacts } from './parcels.ts';
import type { Rng } from './prng.ts';
import type { ShareControl } from './share-control.ts';
import type { BuildingFacts } from './buildings.ts';
import type { LeaseRow, UnitRow } from './types.ts';

/** Share of unit floor area with no lease covering today (vacant or reserved): the demo's vacancy. */
export const VACANCY_TARGET = 0.155;
export const VACANCY_BAND = 0.02;
/**
 * Chance a unit of a finished building is left empty, before steering. Below the target because
 * the units of buildings still under construction are all empty too.
 */
const VACANCY_PICK = 0.1;
/** Of the units not let today, the share held back for a named prospect. */
const RESERVED_SHARE = 0.1;

export class LeaseIds {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

interface Span { start: Day; end: Day | null; tenant: EnterpriseRef }

const TERMS = [1, 2, 3, 3, 5];

/** Rent of a lease that started `yearsAgo` years ago: asking rents have crept up about 2% a year. */
function leaseRent(rng: Rng, asking: number, yearsAgo: number): number {
  return Math.max(0, Math.round(asking * (1 - 0.02 * Math.max(0, yearsAgo)) * rng.range(0.9, 1.04) * 2) / 2);
}

/**
 * Decides whether `unit` is let today, builds its lease history, and fills in the unit's `reserved`
 * and `available_from` accordingly.
 */
export function unitLeases(
  rng: Rng, unit: UnitRow, building: BuildingFacts, park: ParkDef | null, today: Day,
  vacancy: ShareControl, enterprises: EnterpriseFactory, ids: LeaseIds,
): LeaseRow[] {
  const ready = building.readyDay;
  const completed = building.row.status === 'completed';
  // Units of unfinished buildings cannot be let today; they count as vacant space.
  const letToday = !vacancy.decide(unit.area_m2, rng.chance(VACANCY_PICK), completed, !completed);
  const spans: Span[] = [];
  const tenant = (from: Day) => enterprises.tenant(park, unit.kind, from);

  /** Often one, sometimes two earlier tenancies ending before `before`, back to when the building was ready. */
  const history = (before: Day) => {
    let cursor = before - 1 - rng.int(0, 150);
    for (let k = 0; k < 2 && cursor - 365 >= ready && rng.chance(0.15); k++) {
      const start = Math.max(ready, addYears(cursor + 1, -rng.pick([1, 2, 3])));
      spans.unshift({ start, end: cursor, tenant: tenant(start) });
      cursor = start - 1 - rng.int(15, 240);
    }
  };

  if (!completed) {
    // Pre-let before completion: signed now, starting once the building is ready.
    if (rng.chance(0.2)) {
      const start = ready + rng.int(0, 90);
      spans.push({ start, end: addYears(start, rng.pick(TERMS)) - 1, tenant: tenant(today) });
    }
    unit.available_from = formatDay(ready);
  } else if (letToday) {
    const years = rng.pick(TERMS);
    const start = Math.max(ready, today - rng.int(0, years * 365 - 1));
    let end: Day | null = addYears(start, years) - 1;
    if (end < today) end = today + rng.int(30, 365);
    if (years === 5 && rng.chance(0.25)) end = null; // open-ended anchor tenancy
    history(start);
    const current: Span = { start, end, tenant: tenant(start) };
    spans.push(current);
    if (end !== null && end - today < 365 && rng.chance(0.2)) {
      // Renewal or a new tenant already signed for when the current lease runs out.
      const next = end + 1 + rng.int(0, 60);
      spans.push({ start: next, end: addYears(next, rng.pick(TERMS)) - 1, tenant: rng.chance(0.6) ? current.tenant : tenant(today) });
    }
    unit.available_from = end === null ? null : formatDay(spans[spans.length - 1].end! + 1);
  } else {
    // Vacant today: most were let before; a few have a tenant signed to move in soon.
    let freeSince = ready;
    const lastEnd = today - rng.int(1, 720);
    if (lastEnd - 180 >= ready && rng.chance(0.5)) {
      const years = rng.pick([1, 2, 3]);
      const start = Math.max(ready, addYears(lastEnd + 1, -years));
      history(start);
      spans.push({ start, end: lastEnd, tenant: tenant(start) });
      freeSince = lastEnd + 1;
    }
    const signed = rng.chance(0.15);
    if (signed) {
      const start = today + rng.int(1, 200);
      spans.push({ start, end: addYears(start, rng.pick(TERMS)) - 1, tenant: tenant(today) });
    }
    unit.reserved = !signed && rng.chance(RESERVED_SHARE);
    unit.available_from = formatDay(Math.max(freeSince, ready));
  }

  const asking = unit.rent_cny_m2_month ?? 0;
  return spans.map((s) => ({
    id: ids.take(),
    enterprise: s.tenant.uscc,
    unit: unit.code,
    parcel: null,
    start_date: formatDay(s.start),
    end_date: s.end === null ? null : formatDay(s.end),
    rent_cny_m2_month: leaseRent(rng, asking, (today - s.start) / 365),
  }));
}

/**
 * The land-use right of a parcel's holder, from supply to the end of its tenure (open-ended for
 * allocated land). A few older parcels changed hands: the first holder's lease ends the day before
 * the transfer.
 */
export function parcelLeases(
  rng: Rng, parcelCode: string, use: LandUse, facts: ParcelFacts, holder: EnterpriseRef | null,
  firstHolder: () => EnterpriseRef, today: Day, ids: LeaseIds,
): LeaseRow[] {
  if (!holder || facts.supply === null) return [];
  const tenure = TENURE_YEARS[use];
  const end = tenure ? addYears(facts.supply, tenure) - 1 : null;
  const spans: Span[] = [];
  let start = facts.supply;
  if (facts.status === 'occupied' && today - facts.supply > 6 * 365 && rng.chance(0.06)) {
    const first = firstHolder();
    if (first.uscc !== holder.uscc) {
      const transfer = facts.supply + rng.int(730, today - facts.supply - 365);
      spans.push({ start: facts.supply, end: transfer - 1, tenant: first });
      start = transfer;
    }
  }
  spans.push({ start, end, tenant: holder });
  return spans.map((s) => ({
    id: ids.take(),
    enterprise: s.tenant.uscc,
    unit: null,
    parcel: parcelCode,
    start_date: formatDay(s.start),
    end_date: s.end === null ? null : formatDay(s.end),
    rent_cny_m2_month: null,
  }));
}

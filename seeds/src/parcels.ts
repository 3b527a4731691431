/**
 * The attributes of one parcel: land use, status and the dates the idle-land rules are judged by
 * (闲置土地处置办法, MLR Order No. 53, 2012: idle when development has not started one full year after
 * the agreed start date), plot ratios and price. Dates are generated backwards from `today` so that
 * every status tells a consistent story and the table's CHECK constraints hold.
 */
import type { LandUse } from './catalog.ts';
import { formatDay, formatNullableDay, type Day } from './dates.ts';
import type { Rng } from './prng.ts';
import type { ParcelStatus } from './types.ts';

/** Land sold with a paid-use contract: the parcels the idle-land rules bite on. */
export const PAID_USE: ReadonlySet<LandUse> = new Set<LandUse>(['M1', 'M2', 'W1', 'B1', 'B2', 'R2']);

/** Share of the parcels of each land use in each status (idle is decided separately, by area). */
const STATUS_MIX: Record<LandUse, Partial<Record<Exclude<ParcelStatus, 'idle'>, number>>> = {
  M1: { occupied: 0.62, under_construction: 0.12, available: 0.16, reserved: 0.1 },
  M2: { occupied: 0.64, under_construction: 0.12, available: 0.14, reserved: 0.1 },
  W1: { occupied: 0.6, under_construction: 0.12, available: 0.18, reserved: 0.1 },
  B1: { occupied: 0.55, under_construction: 0.15, available: 0.18, reserved: 0.12 },
  B2: { occupied: 0.55, under_construction: 0.15, available: 0.18, reserved: 0.12 },
  R2: { occupied: 0.6, under_construction: 0.2, available: 0.1, reserved: 0.1 },
  A1: { occupied: 0.8, under_construction: 0.1, reserved: 0.1 },
  A3: { occupied: 0.75, under_construction: 0.1, available: 0.05, reserved: 0.1 },
  A5: { occupied: 0.75, under_construction: 0.15, reserved: 0.1 },
  U1: { occupied: 0.8, under_construction: 0.1, reserved: 0.1 },
  S4: { occupied: 0.8, under_construction: 0.1, reserved: 0.1 },
  G1: { occupied: 0.5, reserved: 0.5 },
};

/** Plot-ratio limits (容积率) planners typically set for each class: [minimum options, maximum options]. */
const PLOT_RATIOS: Record<LandUse, [number[], number[]]> = {
  M1: [[0.8, 1.0, 1.2], [2.0, 2.5, 3.0]],
  M2: [[0.8, 1.0, 1.2], [2.0, 2.5]],
  W1: [[0.6, 0.8, 1.0], [1.5, 2.0]],
  B1: [[1.5, 2.0], [3.0, 4.0, 5.0]],
  B2: [[1.5, 2.0, 2.5], [4.0, 5.0, 6.0]],
  R2: [[1.2, 1.5], [2.2, 2.5, 2.8]],
  A1: [[0.8, 1.0], [2.0, 2.5]],
  A3: [[0.5, 0.8], [1.5, 2.0]],
  A5: [[0.8, 1.0], [2.0, 2.5]],
  U1: [[0.3, 0.5], [1.0, 1.5]],
  S4: [[0.3, 0.5], [1.0, 1.5]],
  G1: [[0], [0.05, 0.1]],
};

/** Land price, CNY per m², for land sold by tender, auction or listing (招拍挂). */
const PRICE_CNY_M2: Partial<Record<LandUse, [number, number]>> = {
  M1: [300, 420], M2: [280, 390], W1: [270, 380], B1: [1800, 3500], B2: [1500, 3000], R2: [3000, 5500],
};

/** Years of the land-use right (城镇国有土地使用权出让年限); allocated land (划拨) has none. */
export const TENURE_YEARS: Partial<Record<LandUse, number>> = { M1: 50, M2: 50, W1: 50, B1: 40, B2: 40, R2: 70 };

const IDLE_EXEMPTIONS = [
  '政府原因：控制性详细规划调整，延迟交地',
  '政府原因：配套道路及管网未按期建成',
  '不可抗力：文物勘探发掘延期',
];

/** The dates of a parcel as day numbers, for the buildings, leases and projects that follow from them. */
export interface ParcelFacts {
  status: ParcelStatus;
  approval: Day | null;
  supply: Day | null;
  agreedStart: Day | null;
  agreedCompletion: Day | null;
  start: Day | null;
  completion: Day | null;
  plotRatioMin: number;
  plotRatioMax: number;
  /** Whether a company holds (or is about to hold) the land. */
  hasUser: boolean;
}

export interface ParcelAttributes {
  facts: ParcelFacts;
  row: {
    approval_date: string | null;
    supply_date: string | null;
    agreed_start_date: string | null;
    agreed_completion_date: string | null;
    start_date: string | null;
    completion_date: string | null;
    developed_share: number | null;
    invested_share: number | null;
    stopped_since: string | null;
    idle_exemption: string | null;
    plot_ratio_min: number;
    plot_ratio_max: number;
    price_cny: number | null;
  };
}

const round4 = (v: number) => Math.round(v * 10000) / 10000;

export function drawStatus(rng: Rng, use: LandUse): Exclude<ParcelStatus, 'idle'> {
  return rng.weighted(STATUS_MIX[use] as Record<Exclude<ParcelStatus, 'idle'>, number>);
}

/**
 * Dates, shares, plot ratios and price for a parcel of `areaM2` whose status is already decided.
 * Each status walks back from an anchor date: occupied from its completion, under construction from
 * its start, idle from an agreed start more than a year ago, reserved from a recent or coming supply.
 */
export function parcelAttributes(rng: Rng, use: LandUse, status: ParcelStatus, areaM2: number, today: Day): ParcelAttributes {
  let approval: Day | null = null;
  let supply: Day | null = null;
  let agreedStart: Day | null = null;
  let agreedCompletion: Day | null = null;
  let start: Day | null = null;
  let completion: Day | null = null;
  let developed: number | null = null;
  let invested: number | null = null;
  let stopped: Day | null = null;
  let exemption: string | null = null;
  let hasUser = true;

  // Supply a few months to a year before the agreed start; approval before supply (CHECK supply >= approval).
  const contract = (agreed: Day) => {
    agreedStart = agreed;
    supply = agreed - rng.int(90, 365);
    approval = supply - rng.int(30, 540);
    agreedCompletion = agreed + rng.int(540, 1095);
    return supply;
  };

  switch (status) {
    case 'occupied':
      completion = today - rng.int(30, 5500);
      start = completion - rng.int(300, 1100);
      // Work starts up to eight months after the agreed date: late, but never a year late.
      contract(start - rng.int(-30, 240));
      developed = 1;
      invested = 1;
      break;
    case 'under_construction':
      start = today - rng.int(30, 900);
      contract(start - rng.int(-30, 240));
      developed = round4(rng.range(0.35, 0.95));
      invested = round4(rng.range(0.3, 0.95));
      break;
    case 'idle': {
      // Not started a full year after the agreed start: between one year (idle-land fee) and seven
      // (recoverable without compensation after two).
      const supplied = contract(today - 366 - rng.int(0, 2200));
      if (rng.chance(0.35)) {
        // Site works only (foundations below ±0.00, so not "started"), abandoned over a year ago,
        // with less than a third developed and under 25% invested.
        const from = supplied + 60;
        const to = today - 366;
        stopped = from < to ? rng.int(from, to) : to;
        developed = round4(rng.range(0.02, 0.3));
        invested = round4(rng.range(0.03, 0.24));
      }
      if (rng.chance(0.08)) exemption = rng.pick(IDLE_EXEMPTIONS);
      break;
    }
    case 'reserved':
      if (rng.chance(0.7)) {
        // Earmarked for an investor: supplied in the last year or about to be (供而未用, not yet idle).
        supply = rng.chance(0.35) ? today + rng.int(30, 300) : today - rng.int(1, 330);
        approval = supply - rng.int(30, 400);
        agreedStart = supply + rng.int(90, 360);
        agreedCompletion = agreedStart + rng.int(540, 1095);
      } else {
        hasUser = false;
        if (rng.chance(0.6)) approval = today - rng.int(60, 2000);
      }
      break;
    case 'available':
      hasUser = false;
      // Some approved for construction use but not yet supplied (批而未供).
      if (rng.chance(0.4)) approval = today - rng.int(60, 2500);
      break;
  }

  const [mins, maxs] = PLOT_RATIOS[use];
  const plotRatioMin = rng.pick(mins);
  const plotRatioMax = rng.pick(maxs);
  const priceRange = PRICE_CNY_M2[use];
  const price = supply !== null && priceRange ? Math.round((areaM2 * rng.range(priceRange[0], priceRange[1])) / 100) * 100 : null;

  return {
    facts: { status, approval, supply, agreedStart, agreedCompletion, start, completion, plotRatioMin, plotRatioMax, hasUser },
    row: {
      approval_date: formatNullableDay(approval),
      supply_date: formatNullableDay(supply),
      agreed_start_date: formatNullableDay(agreedStart),
      agreed_completion_date: formatNullableDay(agreedCompletion),
      start_date: formatNullableDay(start),
      completion_date: formatNullableDay(completion),
      developed_share: developed,
      invested_share: invested,
      stopped_since: stopped === null ? null : formatDay(stopped),
      idle_exemption: exemption,
      plot_ratio_min: plotRatioMin,
      plot_ratio_max: plotRatioMax,
      price_cny: price,
    },
  };
}

/** The departments that keep parcel records in the demo zone, most records first. */
const PARCEL_DEPARTMENTS = ['济宁市自然资源和规划局高新区分局', '济宁高新区管委会经济发展部', '济宁高新区不动产登记中心'];

/**
 * Who keeps a parcel's record and the day they last confirmed it: most within the last two years,
 * some older, a few never (records typed in before the platform). Drawn from its own stream, so the
 * rest of the zone does not change with it.
 */
export function parcelProvenance(rng: Rng, today: Day): { department: string | null; verified_at: string | null } {
  if (rng.chance(0.06)) return { department: null, verified_at: null };
  const department = PARCEL_DEPARTMENTS[rng.chance(0.75) ? 0 : rng.chance(0.6) ? 1 : 2];
  const age = rng.chance(0.8) ? rng.int(0, 730) : rng.int(731, 2200);
  return { department, verified_at: formatDay(today - age) };
}

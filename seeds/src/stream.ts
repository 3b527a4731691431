/**
 * The demo zone as a stream of row batches, one sub-block at a time, so a zone of a million parcels
 * never has to sit in memory. The order is safe for foreign keys: corridors, areas and parks first;
 * then per sub-block the enterprises it created, its parcels, buildings, units and leases; the
 * projects last. `generateDemoZone` is this stream collected into arrays.
 */
import type { LandUse } from './catalog.ts';
import { parseDay, type Day } from './dates.ts';
import { parcelBuildings } from './buildings.ts';
import { EnterpriseFactory } from './enterprises.ts';
import { rectArea, rectMultiPolygon, type Rect } from './geometry.ts';
import { LeaseIds, parcelLeases, unitLeases, VACANCY_BAND, VACANCY_TARGET } from './leases.ts';
import { drawStatus, PAID_USE, parcelAttributes, parcelProvenance } from './parcels.ts';
import { Rng } from './prng.ts';
import { ProjectPicker, type ProjectSite } from './projects.ts';
import { ShareControl } from './share-control.ts';
import { planZone, splitIntoParcels, type SubBlock } from './subdivide.ts';
import type { BuildingRow, LeaseRow, ParcelRow, UnitRow, ZoneChunk } from './types.ts';
import { buildingUnits } from './units.ts';
import { areaRows, basemapRows, corridorAt, corridorRows, parkRows, type ZoneCell } from './zone-layout.ts';

export interface GenerateOptions {
  /** How many parcels (default 5,000); everything else scales with it. */
  parcels?: number;
  /** Seed of the random numbers (default 2017); the same options always give the same zone. */
  seed?: number;
  /** The day the zone is seen on, YYYY-MM-DD (default 2026-11-25); never the clock. */
  today?: string;
}

export const DEFAULT_OPTIONS: Required<GenerateOptions> = { parcels: 5000, seed: 2017, today: '2026-11-25' };

/** Share of all parcel area that is idle land, and how far the running share may drift. */
export const IDLE_TARGET = 0.15;
const IDLE_BAND = 0.025;
/** Chance that a paid-use parcel is picked idle, before steering: target ÷ paid-use share of land. */
const IDLE_PICK = 0.18;

export function resolveOptions(options: GenerateOptions = {}): Required<GenerateOptions> {
  const o = { ...DEFAULT_OPTIONS, ...options };
  if (!Number.isInteger(o.parcels) || o.parcels < 1) throw new Error(`parcels must be a positive integer, got ${o.parcels}`);
  if (!Number.isInteger(o.seed)) throw new Error(`seed must be an integer, got ${o.seed}`);
  parseDay(o.today);
  return o;
}

/** Parcel code in the pattern of a 宗地代码: division, area, block, 'GB' (state-owned construction land), number. */
function parcelCode(cell: ZoneCell, seq: number): string {
  return `370811${100 + Number(cell.area.code.slice(1))}${String(cell.seq).padStart(3, '0')}GB${String(seq).padStart(5, '0')}`;
}

/** Small utility and green plots sit among a block's main parcels: the smallest one gets it. */
function landUses(rng: Rng, sb: SubBlock, rects: Rect[]): LandUse[] {
  const uses = rects.map(() => sb.zoning);
  const accessory = sb.zoning !== 'U1' && sb.zoning !== 'G1' && sb.zoning !== 'S4';
  if (rects.length >= 5 && accessory && rng.chance(0.35)) {
    let smallest = 0;
    rects.forEach((r, i) => { if (rectArea(r) < rectArea(rects[smallest])) smallest = i; });
    uses[smallest] = rng.weighted({ U1: 0.45, G1: 0.35, S4: 0.2 });
  }
  return uses;
}

export function* streamDemoZone(options: GenerateOptions = {}): Generator<ZoneChunk> {
  const { parcels, seed, today: todayIso } = resolveOptions(options);
  const today: Day = parseDay(todayIso);
  const plan = planZone(parcels, seed);

  yield { table: 'basemap', rows: basemapRows(plan.localRoads) };
  yield { table: 'corridors', rows: corridorRows() };
  yield { table: 'areas', rows: areaRows() };
  yield { table: 'parks', rows: parkRows() };

  const enterprises = new EnterpriseFactory(seed);
  const idle = new ShareControl(IDLE_TARGET, IDLE_BAND);
  const vacancy = new ShareControl(VACANCY_TARGET, VACANCY_BAND);
  const leaseIds = new LeaseIds();
  const projects = new ProjectPicker(seed, parcels, today);
  let parcelIndex = 0;
  let seqInCell = 0;
  let currentCell: ZoneCell | null = null;

  for (const sb of plan.subBlocks) {
    if (sb.cell !== currentCell) {
      currentCell = sb.cell;
      seqInCell = 0;
    }
    const rng = Rng.for(seed, 2, sb.index);
    const rects = splitIntoParcels(rng, sb.rect, sb.parcels);
    const uses = landUses(rng, sb, rects);
    const park = sb.cell.park;
    const parcelRows: ParcelRow[] = [];
    const buildingRows: BuildingRow[] = [];
    const unitRows: UnitRow[] = [];
    const leaseRows: LeaseRow[] = [];

    rects.forEach((rect, k) => {
      const use = uses[k];
      const areaM2 = rectArea(rect);
      const isIdle = idle.decide(areaM2, rng.chance(IDLE_PICK), PAID_USE.has(use));
      const { facts, row } = parcelAttributes(rng, use, isIdle ? 'idle' : drawStatus(rng, use), areaM2, today);
      const code = parcelCode(sb.cell, ++seqInCell);
      const holder = facts.hasUser ? enterprises.landUser(park, use, facts.supply ?? today) : null;
      parcelRows.push({
        code,
        name: `${sb.cell.area.name}${String(sb.cell.seq).padStart(2, '0')}街坊${seqInCell}号地块`,
        geom: rectMultiPolygon(rect),
        land_use: use,
        status: facts.status,
        ...row,
        enterprise: holder?.uscc ?? null,
        ...parcelProvenance(Rng.for(seed, 7, parcelIndex), today),
      });
      leaseRows.push(...parcelLeases(rng, code, use, facts, holder, () => enterprises.landUser(park, use, facts.supply!), today, leaseIds));
      for (const b of parcelBuildings(rng, code, rect, use, facts, today, plan.sizeScale)) {
        buildingRows.push(b.row);
        for (const unit of buildingUnits(rng, b, plan.sizeScale)) {
          leaseRows.push(...unitLeases(rng, unit, b, park, today, vacancy, enterprises, leaseIds));
          unitRows.push(unit);
        }
      }
      const carriesProject = holder !== null && (facts.status === 'occupied' || facts.status === 'under_construction' || facts.status === 'reserved');
      const site: ProjectSite | null = carriesProject
        ? {
            parcel: code, facts, areaM2, holder, area: sb.cell.area.code, park: park?.code ?? null,
            corridor: corridorAt((rect.x0 + rect.x1) / 2, (rect.y0 + rect.y1) / 2),
          }
        : null;
      projects.visit(parcelIndex++, site);
    });

    const created = enterprises.drain();
    if (created.length) yield { table: 'enterprises', rows: created };
    if (parcelRows.length) yield { table: 'parcels', rows: parcelRows };
    if (buildingRows.length) yield { table: 'buildings', rows: buildingRows };
    if (unitRows.length) yield { table: 'units', rows: unitRows };
    if (leaseRows.length) yield { table: 'leases', rows: leaseRows };
  }
  yield { table: 'projects', rows: projects.finish() };
}

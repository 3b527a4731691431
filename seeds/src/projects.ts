/**
 * The zone's 149 investment projects, ¥20.2 bn in all (the 2017 plan, DOMAIN.md). Most are a
 * company's plant or offices on a parcel and take their dates and status from it; a dozen are public
 * works of an area or corridor. Parcels are chosen while the zone streams past, at evenly spread
 * positions, so the choice needs no second pass over a million parcels.
 */
import { tradesOf } from './names.ts';
import { formatNullableDay, type Day } from './dates.ts';
import type { EnterpriseRef } from './enterprises.ts';
import type { ParcelFacts } from './parcels.ts';
import { Rng } from './prng.ts';
import type { ProjectRow, ProjectStatus } from './types.ts';

export const PROJECT_COUNT = 149;
export const TOTAL_INVESTMENT_CNY = 20_200_000_000;
/** Amounts are whole multiples of ¥10,000 (万元), as investment plans state them. */
const AMOUNT_STEP = 10_000;

/** Public works with no company behind them: [name, English name, area, corridor, park, industry]. */
const PUBLIC_WORKS: [string, string, string, string | null, string | null, string][] = [
  ['蓼河生态廊道综合治理工程', 'Liao River Ecological Corridor Restoration', 'A01', 'C-LIAOHE', null, 'N'],
  ['海川路TBD综合管廊工程', 'Haichuan Road TBD Utility Tunnel', 'A03', 'C-HAICHUAN', null, 'E'],
  ['西浦路快速化改造工程', 'Xipu Road Expressway Upgrade', 'A06', 'C-XIPU', null, 'E'],
  ['创智广场科技创新中心', 'Chuangzhi Plaza Science and Innovation Centre', 'A03', 'C-HAICHUAN', 'P03', 'M75'],
  ['吟龙新城人才公寓', 'Yinlong New Town Talent Apartments', 'A02', null, null, 'K'],
  ['国家检验检测公共实验室（二期）', 'National Public Testing Laboratory (Phase II)', 'A04', null, 'P01', 'M74'],
  ['综合保税区智能卡口及监管仓', 'Bonded Zone Smart Gates and Supervised Warehouse', 'A05', null, 'P04', 'G59'],
  ['杨家河片区标准厂房（三期）', 'Yangjiahe Standard Factories (Phase III)', 'A06', null, 'P08', 'E'],
  ['软件与服务外包园公共服务平台', 'Software Park Public Service Platform', 'A07', null, 'P13', 'I65'],
  ['蓼河新区污水处理厂提标改造', 'Liaohe New District Wastewater Plant Upgrade', 'A01', null, null, 'N'],
  ['三贾片区110千伏变电站', 'Sanjia 110 kV Substation', 'A05', null, null, 'D44'],
  ['大数据中心（二期）', 'Big Data Centre (Phase II)', 'A03', 'C-HAICHUAN', 'P03', 'I65'],
];

const PHASES = ['', '（二期）', '（三期）', '（四期）'];
const PHASES_EN = ['', ' (Phase II)', ' (Phase III)', ' (Phase IV)'];

/** A parcel that can carry a company's project: it has a holder and a schedule. */
export interface ProjectSite {
  parcel: string;
  facts: ParcelFacts;
  areaM2: number;
  area: string;
  park: string | null;
  corridor: string | null;
  holder: EnterpriseRef;
}

interface Draft { site: ProjectSite | null; works: (typeof PUBLIC_WORKS)[number] | null; phase: number }

export class ProjectPicker {
  private readonly rng: Rng;
  /** Global parcel positions at which a project is due, ascending. */
  private readonly slots: number[];
  private nextSlot = 0;
  private owed = 0;
  private readonly drafts: Draft[] = [];
  private readonly recentSites: ProjectSite[] = [];
  private readonly phaseOf = new Map<string, number>();

  constructor(seed: number, private readonly totalParcels: number, private readonly today: Day) {
    this.rng = Rng.for(seed, 5);
    const onParcels = PROJECT_COUNT - PUBLIC_WORKS.length;
    // One slot in each of `onParcels` equal strides, at a random place within the stride.
    this.slots = Array.from({ length: onParcels }, (_, k) =>
      Math.floor(((k + this.rng.float()) * totalParcels) / onParcels));
  }

  /** Called for every parcel in stream order; `site` is null when the parcel cannot carry a project. */
  visit(index: number, site: ProjectSite | null): void {
    while (this.nextSlot < this.slots.length && this.slots[this.nextSlot] <= index) {
      this.nextSlot++;
      this.owed++;
    }
    if (!site) return;
    this.recentSites.push(site);
    if (this.recentSites.length > 64) this.recentSites.shift();
    for (; this.owed > 0; this.owed--) this.addOn(site);
  }

  private addOn(site: ProjectSite): void {
    const phase = this.phaseOf.get(site.parcel) ?? 0;
    this.phaseOf.set(site.parcel, phase + 1);
    this.drafts.push({ site, works: null, phase: Math.min(phase, PHASES.length - 1) });
  }

  /** The 149 projects, investments summing exactly to ¥20.2 bn. */
  finish(): ProjectRow[] {
    const rng = this.rng;
    // Slots not yet filled (no suitable parcel after them) go to the last suitable parcels seen.
    this.owed += this.slots.length - this.nextSlot;
    for (let k = 0; this.owed > 0; this.owed--, k++) {
      if (this.recentSites.length === 0) break;
      this.addOn(this.recentSites[this.recentSites.length - 1 - (k % this.recentSites.length)]);
    }
    const works = [...PUBLIC_WORKS];
    while (this.drafts.length < PROJECT_COUNT) {
      this.drafts.push({ site: null, works: works.shift() ?? rng.pick(PUBLIC_WORKS), phase: 0 });
    }
    const amounts = this.amounts();
    return this.drafts.map((d, i) => this.row(d, i, amounts[i]));
  }

  /** Bigger parcels carry bigger investments; amounts in ¥10,000 steps, the rounding put on the largest. */
  private amounts(): number[] {
    const weights = this.drafts.map((d) => (d.site ? Math.pow(d.site.areaM2, 0.6) : 4000) * this.rng.logNormal(1, 0.6));
    const sum = weights.reduce((a, b) => a + b, 0);
    const steps = TOTAL_INVESTMENT_CNY / AMOUNT_STEP;
    const parts = weights.map((w) => Math.max(1, Math.round((w / sum) * steps)));
    const largest = parts.indexOf(Math.max(...parts));
    parts[largest] += steps - parts.reduce((a, b) => a + b, 0);
    return parts.map((p) => p * AMOUNT_STEP);
  }

  private row(d: Draft, i: number, investment: number): ProjectRow {
    const code = `XM2017-${String(i + 1).padStart(3, '0')}`;
    if (!d.site) {
      const [name, name_en, area, corridor, park, industry] = d.works!;
      const start = this.today + this.rng.int(-200, 400);
      const status: ProjectStatus =
        start <= this.today ? 'under_construction' : start - this.today > 180 ? 'planned' : 'approved';
      return {
        code, name, name_en, investment_cny: investment, status, industry,
        start_date: formatNullableDay(start), completion_date: formatNullableDay(start + this.rng.int(365, 1100)),
        parcel: null, area, corridor, park, enterprise: null,
      };
    }
    const { site } = d;
    const f = site.facts;
    let status: ProjectStatus;
    let start: Day | null;
    let completion: Day | null;
    if (f.status === 'occupied') {
      status = this.today - f.completion! > 365 ? 'operating' : 'completed';
      start = f.start;
      completion = f.completion;
    } else if (f.status === 'under_construction') {
      status = 'under_construction';
      start = f.start;
      completion = f.agreedCompletion;
    } else {
      status = f.supply !== null && f.supply <= this.today ? 'approved' : 'planned';
      start = f.agreedStart;
      completion = f.agreedCompletion;
    }
    const [trade, trade_en] = this.rng.pick(tradesOf(site.holder.industry));
    const kind = site.holder.industry.startsWith('C') ? ['生产基地', 'Production Base'] : ['产业化中心', 'Industrialization Centre'];
    return {
      code,
      name: `${site.holder.brand}${trade}${kind[0]}项目${PHASES[d.phase]}`,
      name_en: `${site.holder.brand_en} ${trade_en} ${kind[1]} Project${PHASES_EN[d.phase]}`,
      investment_cny: investment,
      status,
      industry: site.holder.industry,
      start_date: formatNullableDay(start),
      completion_date: formatNullableDay(completion),
      parcel: site.parcel,
      area: site.area,
      corridor: site.corridor,
      park: site.park,
      enterprise: site.holder.uscc,
    };
  }
}

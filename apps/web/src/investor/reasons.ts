import type { ReasonCode, SpaceReason } from '@parkatlas/schema';
import type { I18n } from '../i18n/i18n.tsx';

type Values = SpaceReason['values'];
type Wording = (v: Values, n: (x: Values[string], digits?: number) => string, pct: (x: Values[string]) => string) => string;

/** The asked area range: 200–400, ≥ 200 or ≤ 400. */
const range = (v: Values, n: (x: Values[string]) => string) =>
  v.min !== null && v.max !== null ? `${n(v.min)}–${n(v.max)}` : v.min !== null ? `≥ ${n(v.min)}` : `≤ ${n(v.max)}`;

/** The API's reason codes in words, in each language of the app, with the figures they carry. */
const WORDS: Record<'zh' | 'en', Record<ReasonCode, Wording>> = {
  zh: {
    vacant: (v) => `${v.day} 空置`,
    released: (v) => `已供地待用，${v.day} 无租约`,
    area_fits: (v, n) => `面积合适（${n(v.area, 0)} m²，要求 ${range(v, (x) => n(x, 0))}）`,
    area_under: (v, n, pct) => `面积比下限小 ${pct(v.share)}（${n(v.area, 0)} m² < ${n(v.min, 0)}）`,
    area_over: (v, n, pct) => `面积比上限大 ${pct(v.share)}（${n(v.area, 0)} m² > ${n(v.max, 0)}）`,
    land_not_let: (v, n) => `土地为出让供应，不出租，无租金可比${v.price !== null ? `（价格 ¥${n(v.price, 0)}）` : ''}`,
    no_rent: () => '未公布租金，请咨询园区',
    rent_within: (v, n) => `租金在预算内（¥${n(v.rent, 2)}/m²/月 ≤ ¥${n(v.budget, 2)}）`,
    rent_over: (v, n, pct) => `租金超预算 ${pct(v.share)}（¥${n(v.rent, 2)}/m²/月 > ¥${n(v.budget, 2)}）`,
    total_within: (v, n) => `月总租金在预算内（¥${n(v.total, 0)}/月 ≤ ¥${n(v.budget, 0)}）`,
    total_over: (v, n, pct) => `月总租金超预算 ${pct(v.share)}（¥${n(v.total, 0)}/月 > ¥${n(v.budget, 0)}）`,
    industry_no_park: (v) => `不在园区内，无主导产业可匹配 ${v.industry}`,
    industry_fits: (v) => `行业 ${v.industry} 符合园区主导产业（${v.themes}）`,
    industry_section: (v) => `行业 ${v.industry} 仅与园区主导产业同门类（${v.themes}）`,
    industry_outside: (v) => `行业 ${v.industry} 不在园区主导产业内（${v.themes || '无'}）`,
    in_park: (v) => `位于园区 ${v.park_name ?? v.park}`,
    move_in_ready: () => '拎包入住',
    ground_floor: () => '首层',
    ground_land: () => '土地（地面）',
    floor_load: (v, n) => `楼面荷载 ${n(v.value, 1)} kN/m² ≥ ${n(v.min, 1)}`,
    clear_height: (v, n) => `净高 ${n(v.value, 2)} m ≥ ${n(v.min, 2)}`,
    power: (v, n) => `供电 ${n(v.value, 1)} kVA ≥ ${n(v.min, 1)}`,
    near_point: (v, n) => `距所选地点 ${n(v.distance, 0)} m（≤ ${n(v.max, 0)}）`,
    in_corridor: (v) => `位于走廊 ${v.corridor}`,
    near_corridor: (v, n) => `距走廊 ${v.corridor} ${n(v.max, 0)} m 以内`,
  },
  en: {
    vacant: (v) => `vacant on ${v.day}`,
    released: (v) => `released for use, no lease on ${v.day}`,
    area_fits: (v, n) => `area fits (${n(v.area, 0)} m², asked ${range(v, (x) => n(x, 0))})`,
    area_under: (v, n, pct) => `area ${pct(v.share)} under the minimum (${n(v.area, 0)} m² < ${n(v.min, 0)})`,
    area_over: (v, n, pct) => `area ${pct(v.share)} over the maximum (${n(v.area, 0)} m² > ${n(v.max, 0)})`,
    land_not_let: (v, n) => `land is supplied, not let: no rent to compare${v.price !== null ? ` (price ¥${n(v.price, 0)})` : ''}`,
    no_rent: () => 'no asking rent published: ask the park',
    rent_within: (v, n) => `rent within budget (¥${n(v.rent, 2)}/m²/month ≤ ¥${n(v.budget, 2)})`,
    rent_over: (v, n, pct) => `rent ${pct(v.share)} over budget (¥${n(v.rent, 2)}/m²/month > ¥${n(v.budget, 2)})`,
    total_within: (v, n) => `total rent within budget (¥${n(v.total, 0)}/month ≤ ¥${n(v.budget, 0)})`,
    total_over: (v, n, pct) => `total rent ${pct(v.share)} over budget (¥${n(v.total, 0)}/month > ¥${n(v.budget, 0)})`,
    industry_no_park: (v) => `not in a park: no theme industries to fit ${v.industry}`,
    industry_fits: (v) => `industry ${v.industry} fits the park's themes (${v.themes})`,
    industry_section: (v) => `industry ${v.industry} shares only its section with the park's themes (${v.themes})`,
    industry_outside: (v) => `industry ${v.industry} is outside the park's themes (${v.themes || 'none'})`,
    in_park: (v) => `in park ${v.park}`,
    move_in_ready: () => 'move-in ready',
    ground_floor: () => 'ground floor',
    ground_land: () => 'land (ground level)',
    floor_load: (v, n) => `floor load ${n(v.value, 1)} kN/m² ≥ ${n(v.min, 1)}`,
    clear_height: (v, n) => `clear height ${n(v.value, 2)} m ≥ ${n(v.min, 2)}`,
    power: (v, n) => `power ${n(v.value, 1)} kVA ≥ ${n(v.min, 1)}`,
    near_point: (v, n) => `${n(v.distance, 0)} m from the point (≤ ${n(v.max, 0)})`,
    in_corridor: (v) => `in corridor ${v.corridor}`,
    near_corridor: (v, n) => `within ${n(v.max, 0)} m of corridor ${v.corridor}`,
  },
};

/** A reason in the app's language. */
export function reasonText(reason: SpaceReason, i18n: I18n): string {
  const n = (x: Values[string], digits = 2) => i18n.num(Number(x ?? 0), digits);
  const pct = (x: Values[string]) => `${Math.round(Number(x ?? 0) * 100)}%`;
  return WORDS[i18n.lang][reason.code](reason.values, n, pct);
}

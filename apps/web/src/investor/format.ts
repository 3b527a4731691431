import type { NamedZone } from '../api/client.ts';
import { zoneName } from '../dashboard/Dashboard.tsx';
import type { I18n } from '../i18n/i18n.tsx';
import { reasonText } from './reasons.ts';
import type { CsvColumn, SpaceItem } from './space-api.ts';

/** How the list, the comparison and the CSV show a space's figures, in the view's language. */

export const dash = '—';

export function spaceFormat(i18n: I18n, parks: Map<string, NamedZone>) {
  const { t, num } = i18n;
  const n = (v: number | null, digits = 1) => (v === null ? dash : num(v, digits));
  const yesNo = (v: boolean | null) => (v === null ? dash : v ? t('inv_yes') : t('inv_no'));
  return {
    title: (i: SpaceItem) => i.name ?? i.id,
    kind: (i: SpaceItem) => t(i.kind === 'unit' ? 'inv_kind_unit' : 'inv_kind_parcel'),
    park: (i: SpaceItem) => (i.park ? zoneName(parks.get(i.park), i18n.lang, i.park_name ?? i.park) : dash),
    area: (i: SpaceItem) => `${num(i.area_m2, 0)} ${t('m2')}`,
    rent: (i: SpaceItem) => (i.rent_cny_m2_month === null ? dash : `${num(i.rent_cny_m2_month, 1)} ${t('inv_cnyM2Month')}`),
    total: (i: SpaceItem) => (i.total_rent_cny_month === null ? dash : `${num(i.total_rent_cny_month, 0)} ${t('inv_cnyMonth')}`),
    floor: (i: SpaceItem) => (i.kind === 'parcel' ? t('inv_wholeParcel') : n(i.floor, 0)),
    ready: (i: SpaceItem) => yesNo(i.move_in_ready),
    floorLoad: (i: SpaceItem) => (i.floor_load_kn_m2 === null ? dash : `${n(i.floor_load_kn_m2)} kN/m²`),
    clearHeight: (i: SpaceItem) => (i.clear_height_m === null ? dash : `${n(i.clear_height_m)} m`),
    power: (i: SpaceItem) => (i.power_kva === null ? dash : `${n(i.power_kva, 0)} kVA`),
    availableFrom: (i: SpaceItem) => i.available_from ?? dash,
    score: (i: SpaceItem) => num(i.score, 0),
    distance: (i: SpaceItem) => (i.distance_m === null ? dash : `${num(i.distance_m / 1000, 2)} km`),
  };
}

/** The CSV's columns: raw numbers (no units in the cells), headings in the view's language. */
export function csvColumns(i18n: I18n, parks: Map<string, NamedZone>): CsvColumn[] {
  const { t } = i18n;
  const f = spaceFormat(i18n, parks);
  return [
    [t('inv_rank'), (_, rank) => rank],
    [t('inv_kind'), (i) => f.kind(i)],
    [t('inv_code'), (i) => i.id],
    [t('inv_name'), (i) => i.name],
    [t('park'), (i) => (i.park ? f.park(i) : '')],
    [t('inv_building'), (i) => i.building],
    [t('floor'), (i) => i.floor],
    [t('inv_area_m2'), (i) => i.area_m2],
    [t('inv_rent_col'), (i) => i.rent_cny_m2_month],
    [t('inv_total_col'), (i) => i.total_rent_cny_month],
    [t('inv_moveInReady'), (i) => (i.move_in_ready === null ? '' : f.ready(i))],
    [t('inv_floorLoad_col'), (i) => i.floor_load_kn_m2],
    [t('inv_clearHeight_col'), (i) => i.clear_height_m],
    [t('inv_power_col'), (i) => i.power_kva],
    [t('inv_availableFrom'), (i) => i.available_from],
    [t('inv_distance_col'), (i) => i.distance_m === null ? null : Math.round(i.distance_m)],
    [t('inv_score'), (i) => i.score],
    [t('inv_matched'), (i) => i.reasons.filter((r) => r.matched).map((r) => reasonText(r, i18n))],
    [t('inv_shortfalls'), (i) => i.reasons.filter((r) => !r.matched).map((r) => reasonText(r, i18n))],
    ['lon', (i) => i.lon],
    ['lat', (i) => i.lat],
  ];
}

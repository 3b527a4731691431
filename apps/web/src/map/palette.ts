import type { ExpressionSpecification } from 'maplibre-gl';

/** Parcel status colours: red for idle land stands out, green for land on offer. */
export const STATUS_COLORS = {
  idle: '#d7301f',
  available: '#31a354',
  under_construction: '#fd8d3c',
  occupied: '#3182bd',
  reserved: '#8c6bb1',
} as const;

export type ParcelStatus = keyof typeof STATUS_COLORS;
export const PARCEL_STATUSES = Object.keys(STATUS_COLORS) as ParcelStatus[];

/** Vacancy from fully let (0) to empty (1). */
export const VACANCY_STOPS: [number, string][] = [
  [0, '#1a9641'],
  [0.25, '#a6d96a'],
  [0.5, '#ffffbf'],
  [0.75, '#fdae61'],
  [1, '#d7191c'],
];
/** A building or floor without rentable units. */
export const NO_UNITS_COLOR = '#c8c8c8';

export const ZONE_COLORS = {
  background: '#f4f1ea',
  zone: '#ebe6da',
  zoneLine: '#7a6f5a',
  water: '#a9cfe6',
  river: '#6fa8d2',
  road: '#ffffff',
  roadCasing: '#c9c1b0',
  area: '#b4a98f',
  park: '#2f6f5e',
  corridor: '#e6a23c',
  selected: '#111111',
  hover: '#ffd400',
} as const;

/** GB 50137 major classes the land-use filter offers. */
export const LAND_USE_MAJORS = ['M', 'W', 'B', 'A', 'R', 'G', 'U', 'S'] as const;

export function statusColorExpression(): ExpressionSpecification {
  return ['match', ['get', 'status'], ...PARCEL_STATUSES.flatMap((s) => [s, STATUS_COLORS[s]]), '#999999'] as unknown as ExpressionSpecification;
}

export function vacancyColorExpression(): ExpressionSpecification {
  return [
    'case',
    ['has', 'vacancy_rate'],
    ['interpolate', ['linear'], ['get', 'vacancy_rate'], ...VACANCY_STOPS.flat()],
    NO_UNITS_COLOR,
  ] as ExpressionSpecification;
}

/** A CSS gradient of the vacancy ramp, for the legend. */
export function vacancyGradient(): string {
  return `linear-gradient(to right, ${VACANCY_STOPS.map(([v, c]) => `${c} ${v * 100}%`).join(', ')})`;
}

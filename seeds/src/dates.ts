/**
 * Calendar dates as whole day numbers (days since 1970-01-01), so date arithmetic is integer
 * arithmetic and formatting never goes through a time zone. Millions of dates are formatted for a
 * large zone, so this avoids a Date object per date.
 */

export type Day = number;

/** 'YYYY-MM-DD' → day number. Throws on anything else, so a bad `today` option fails loudly. */
export function parseDay(iso: string): Day {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`expected a date as YYYY-MM-DD, got '${iso}'`);
  const day = dayFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  if (formatDay(day) !== iso) throw new Error(`'${iso}' is not a calendar date`);
  return day;
}

// Howard Hinnant's civil-calendar algorithms (proleptic Gregorian), exact for any year we meet.
export function dayFromCivil(y: number, m: number, d: number): Day {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDay(day: Day): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function formatDay(day: Day): string {
  const [y, m, d] = civilFromDay(day);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function yearOf(day: Day): number {
  return civilFromDay(day)[0];
}

/** The same calendar day `years` later (29 February falls back to 28 February). */
export function addYears(day: Day, years: number): Day {
  const [y, m, d] = civilFromDay(day);
  const target = y + years;
  const leap = (target % 4 === 0 && target % 100 !== 0) || target % 400 === 0;
  return dayFromCivil(target, m, m === 2 && d === 29 && !leap ? 28 : d);
}

export const formatNullableDay = (day: Day | null): string | null => (day === null ? null : formatDay(day));

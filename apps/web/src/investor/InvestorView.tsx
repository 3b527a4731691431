import { useEffect, useMemo, useState } from 'react';
import type { NamedZone } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { MAX_COMPARE, SPACE_SORTS, type SpaceCriteria, type SpaceSearch } from '../url/app-state.ts';
import { CompareTable } from './CompareTable.tsx';
import { CriteriaForm } from './CriteriaForm.tsx';
import { EnquiryDone, EnquiryForm } from './EnquiryForm.tsx';
import { csvColumns, spaceFormat } from './format.ts';
import { reasonText } from './reasons.ts';
import { spaceKey, spacesCsv, type Lead, type SpaceItem } from './space-api.ts';
import type { SpaceResults } from './useSpaceSearch.ts';

/**
 * The investor view: criteria → ranked spaces (on the map too), each with why it matched and where
 * it falls short; up to four side by side; the list as CSV or a printed page; and "register
 * interest", which opens a lead in the park's pipeline.
 */

export interface InvestorViewProps {
  space: SpaceSearch;
  results: SpaceResults;
  parks: NamedZone[];
  center: [number, number];
  /** The space selected on the map (its `kind:id`), if it came from the list. */
  selected: string | null;
  onChange: (space: SpaceSearch) => void;
  onPick: (item: SpaceItem) => void;
}

/** The soft criteria a score is made of, as the API names them in `points` and `weights`. */
const POINT_KEYS = ['area', 'budget', 'industry', 'distance'] as const;

/** A score's colour, as the map draws it (red 0 → yellow 50 → green 100). */
export function scoreColor(score: number): string {
  const mix = (a: number[], b: number[], f: number) => a.map((v, i) => Math.round(v + (b[i] - v) * f));
  const [r, g, b] = score < 50 ? mix([0xd7, 0x30, 0x27], [0xfe, 0xe0, 0x8b], score / 50) : mix([0xfe, 0xe0, 0x8b], [0x1a, 0x98, 0x50], (score - 50) / 50);
  return `rgb(${r}, ${g}, ${b})`;
}

/** A blob: URL for the CSV, made again when the list or the language changes and freed after. */
function useCsvUrl(items: SpaceItem[], make: (items: SpaceItem[]) => string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!items.length) return setUrl(null);
    const next = URL.createObjectURL(new Blob([make(items)], { type: 'text/csv;charset=utf-8' }));
    setUrl(next);
    return () => URL.revokeObjectURL(next);
    // `make` changes only with the language or the parks' names.
  }, [items, make]);
  return url;
}

export function InvestorView(props: InvestorViewProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const { space, results } = props;
  const { fetched, sorted } = results;
  // The parks arrive as a fresh array each render; their codes and names say when the map would differ.
  const parksKey = props.parks.map((p) => `${p.code}:${p.name}:${p.name_en}`).join('|');
  const parks = useMemo(() => new Map(props.parks.map((p) => [p.code, p])), [parksKey]);
  const f = spaceFormat(i18n, parks);
  const makeCsv = useMemo(() => (items: SpaceItem[]) => spacesCsv(items, csvColumns(i18n, parks)), [i18n.lang, parks]);
  const csvUrl = useCsvUrl(sorted, makeCsv);
  const [enquiring, setEnquiring] = useState<string | null>(null);
  const [leads, setLeads] = useState<Record<string, Lead>>({});

  const search = (criteria: SpaceCriteria) => props.onChange({ ...space, criteria, compare: [] });
  const toggleCompare = (key: string, on: boolean) =>
    props.onChange({ ...space, compare: on ? [...space.compare, key].slice(0, MAX_COMPARE) : space.compare.filter((k) => k !== key) });
  const byKey = new Map((fetched.data?.items ?? []).map((i) => [spaceKey(i), i]));
  const weights = fetched.data?.weights ?? {};
  const compared = space.compare.map((k) => byKey.get(k)).filter((i): i is SpaceItem => !!i);

  return (
    <div className="investor" data-testid="investor" data-loading={fetched.loading ? 'true' : 'false'}>
      <CriteriaForm criteria={space.criteria} parks={props.parks} center={props.center} onSearch={search} />
      <CompareTable items={compared} parks={parks} onRemove={(key) => toggleCompare(key, false)} onClear={() => props.onChange({ ...space, compare: [] })} />
      <section className="panel space-results" data-testid="space-results">
        <h2>
          {t('inv_results')}
          {fetched.data && <small data-testid="space-count">{i18n.num(fetched.data.items.length, 0)} · {t('inv_vacantOn')} {fetched.data.available_by}</small>}
        </h2>
        {space.criteria === null && <p className="muted">{t('inv_noSearchYet')}</p>}
        {fetched.loading && <p className="muted">{t('loading')}</p>}
        {fetched.error && <p className="error" data-testid="space-error">{fetched.error}</p>}
        {fetched.data && (
          <>
            <div className="results-tools no-print">
              <label className="field inline">
                {t('inv_sortBy')}
                <select data-testid="space-sort" value={space.sort} onChange={(e) => props.onChange({ ...space, sort: e.target.value as SpaceSearch['sort'] })}>
                  {SPACE_SORTS.map((s) => <option key={s} value={s}>{t(`inv_sort_${s}`)}</option>)}
                </select>
              </label>
              {csvUrl && <a className="csv" data-testid="space-csv" href={csvUrl} download={`parkatlas-spaces-${fetched.data.available_by}.csv`}>{t('inv_csv')}</a>}
              <button type="button" data-testid="space-print" onClick={() => window.print()}>{t('inv_print')}</button>
            </div>
            {sorted.length === 0 && <p className="muted" data-testid="space-none">{t('inv_noMatch')}</p>}
            <ol className="space-list" data-testid="space-list">
              {sorted.map((item) => {
                const key = spaceKey(item);
                const inCompare = space.compare.includes(key);
                return (
                  <li key={key} data-key={key} data-testid="space-item" className={props.selected === key ? 'selected' : undefined}>
                    <button type="button" className="space-main" data-testid="space-pick" onClick={() => props.onPick(item)}>
                      <span className="score" style={{ background: scoreColor(item.score) }} title={t('inv_score')}>{f.score(item)}</span>
                      <span className="space-title">{f.title(item)} <small>{f.kind(item)}{item.kind === 'unit' && item.floor !== null ? ` · ${t('floor')} ${item.floor}` : ''}</small></span>
                      <span className="meta">{f.park(item)} · {f.area(item)} · {f.rent(item)}{item.total_rent_cny_month !== null ? ` · ${f.total(item)}` : ''}</span>
                    </button>
                    <p className="points" data-testid="space-points">
                      {POINT_KEYS.filter((k) => item.points[k] !== undefined).map((k) => (
                        <span key={k} data-criterion={k}>{t(`inv_pts_${k}`)} {i18n.num(item.points[k]!, 0)}/{weights[k] ?? '?'}</span>
                      ))}
                    </p>
                    <ul className="reasons">
                      {item.reasons.map((r, i) => (
                        <li key={`${r.code}${i}`} className={r.matched ? 'matched' : 'shortfall'} data-reason={r.code}>{r.matched ? '✓' : '✗'} {reasonText(r, i18n)}</li>
                      ))}
                    </ul>
                    <div className="space-actions no-print">
                      <label className="check">
                        <input type="checkbox" data-testid="compare-toggle" checked={inCompare}
                          disabled={!inCompare && space.compare.length >= MAX_COMPARE} onChange={(e) => toggleCompare(key, e.target.checked)} />
                        {t('inv_addCompare')}
                      </label>
                      {!leads[key] && enquiring !== key && (
                        <button type="button" data-testid="enquire" onClick={() => setEnquiring(key)}>{t('inv_enquire')}</button>
                      )}
                    </div>
                    {enquiring === key && (
                      <EnquiryForm item={item} onCancel={() => setEnquiring(null)}
                        onDone={(lead) => { setLeads((l) => ({ ...l, [key]: lead })); setEnquiring(null); }} />
                    )}
                    {leads[key] && <EnquiryDone lead={leads[key]} />}
                  </li>
                );
              })}
            </ol>
          </>
        )}
      </section>
    </div>
  );
}

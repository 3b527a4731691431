import { useEffect, useState } from 'react';
import { api, type Feature, type ParcelListItem } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { Bounds } from '../map/MapView.tsx';
import { parcelQuery } from '../map/parcel-filters.ts';
import { STATUS_COLORS, type ParcelStatus } from '../map/palette.ts';
import type { ParcelFilters } from '../url/app-state.ts';

const PAGE = 50;

interface ListState {
  key: string;
  items: Feature<ParcelListItem>[];
  next: string | null;
  loading: boolean;
  error?: string;
}

/** The parcels in view that pass the filters (the same ones the map draws), largest first. */
export function ResultList(props: { filters: ParcelFilters; bounds: Bounds | null; selected: string | null; onPick: (f: Feature<ParcelListItem>) => void }) {
  const { t, num, lang } = useI18n();
  const query = parcelQuery(props.filters);
  query.set('sort', '-area_m2');
  query.set('limit', String(PAGE));
  if (props.bounds) query.set('bbox', props.bounds.map((v) => v.toFixed(6)).join(','));
  const key = query.toString();
  const [list, setList] = useState<ListState>({ key: '', items: [], next: null, loading: true });

  useEffect(() => {
    if (!props.bounds) return;
    const abort = new AbortController();
    // Wait for the map to settle before asking: a pan reports many views.
    const timer = setTimeout(() => {
      setList((l) => ({ ...l, loading: true }));
      api.parcels(new URLSearchParams(key), abort.signal).then(
        (fc) => setList({ key, items: fc.features, next: fc.next, loading: false }),
        (e: Error) => !abort.signal.aborted && setList({ key, items: [], next: null, loading: false, error: e.message }),
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [key]);

  const more = async () => {
    if (!list.next) return;
    const q = new URLSearchParams(list.key);
    q.set('cursor', list.next);
    const fc = await api.parcels(q);
    setList((l) => (l.key === list.key ? { ...l, items: [...l.items, ...fc.features], next: fc.next } : l));
  };

  return (
    <section className="panel results" data-testid="results" data-loading={list.loading ? 'true' : 'false'} data-count={list.items.length}>
      <h2>
        {t('results')} <small>({t('inView')}: {list.items.length}{list.next ? '+' : ''})</small>
      </h2>
      {list.error && <p className="error">{t('loadFailed')}: {list.error}</p>}
      {!list.loading && !list.error && list.items.length === 0 && <p className="empty">{t('noResults')}</p>}
      <ol>
        {list.items.map((f) => {
          const p = f.properties;
          return (
            <li key={p.code} className={p.code === props.selected ? 'selected' : ''}>
              <button type="button" data-code={p.code} data-status={p.status} onClick={() => props.onPick(f)}>
                <span className="swatch" style={{ background: STATUS_COLORS[p.status as ParcelStatus] }} />
                <span className="code">{p.code}</span>
                <span className="meta">
                  {t(`status_${p.status as ParcelStatus}`)} · {p.land_use} · {num(p.area_mu, 1)} {t('mu')}
                </span>
                {p.name && <span className="name">{lang === 'en' ? p.name_en ?? p.name : p.name}</span>}
              </button>
            </li>
          );
        })}
      </ol>
      {list.next && (
        <button type="button" className="more" onClick={more}>
          {t('moreResults')}
        </button>
      )}
    </section>
  );
}

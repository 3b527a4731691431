import type { NamedZone } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { hasFilters } from '../map/parcel-filters.ts';
import { LAND_USE_MAJORS, PARCEL_STATUSES, STATUS_COLORS } from '../map/palette.ts';
import { NO_FILTERS, type ParcelFilters } from '../url/app-state.ts';

function toggle<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** The parcel filters; they drive the map's filter expressions and the result list together. */
export function FilterPanel(props: { filters: ParcelFilters; parks: NamedZone[]; areas: NamedZone[]; onChange: (f: ParcelFilters) => void }) {
  const { t, lang } = useI18n();
  const f = props.filters;
  const set = (patch: Partial<ParcelFilters>) => props.onChange({ ...f, ...patch });
  const label = (z: NamedZone) => (lang === 'en' ? z.name_en ?? z.name : z.name);
  return (
    <section className="panel filters" data-testid="filters">
      <h2>
        {t('filters')}
        {hasFilters(f) && (
          <button type="button" className="link" onClick={() => props.onChange({ ...NO_FILTERS })}>
            {t('clearFilters')}
          </button>
        )}
      </h2>
      <fieldset>
        <legend>{t('status')}</legend>
        <div className="chips">
          {PARCEL_STATUSES.map((s) => (
            <label key={s} className={`chip ${f.status.includes(s) ? 'on' : ''}`} data-status={s}>
              <input type="checkbox" name={`status-${s}`} checked={f.status.includes(s)} onChange={() => set({ status: toggle(f.status, s) })} />
              <span className="swatch" style={{ background: STATUS_COLORS[s] }} />
              {t(`status_${s}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('landUse')}</legend>
        <div className="chips">
          {LAND_USE_MAJORS.map((m) => (
            <label key={m} className={`chip ${f.landUse.includes(m) ? 'on' : ''}`} title={t(`landUse_${m}`)}>
              <input type="checkbox" name={`land-use-${m}`} checked={f.landUse.includes(m)} onChange={() => set({ landUse: toggle(f.landUse, m) })} />
              {m} {t(`landUse_${m}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="field">
        {t('park')}
        <select name="park" value={f.park ?? ''} onChange={(e) => set({ park: e.target.value || null })}>
          <option value="">{t('anyPark')}</option>
          {props.parks.map((p) => (
            <option key={p.code} value={p.code}>{p.code} {label(p)}</option>
          ))}
        </select>
      </label>
      <label className="field">
        {t('area')}
        <select name="area" value={f.area ?? ''} onChange={(e) => set({ area: e.target.value || null })}>
          <option value="">{t('anyArea')}</option>
          {props.areas.map((a) => (
            <option key={a.code} value={a.code}>{a.code} {label(a)}</option>
          ))}
        </select>
      </label>
      <label className="field">
        {t('minArea')}
        <input
          type="number"
          name="min-area-mu"
          min={0}
          step={1}
          value={f.minAreaMu ?? ''}
          onChange={(e) => set({ minAreaMu: e.target.value === '' ? null : Math.max(0, Number(e.target.value)) })}
        />
      </label>
    </section>
  );
}

import { api } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useFetch } from './useFetch.ts';

/** A park's totals next to the map: land, idle land, floor area, vacancy, enterprises. */
export function ParkSummaryCard(props: { code: string }) {
  const { t, num, lang } = useI18n();
  const { data: s, error, loading } = useFetch(props.code, (signal) => api.parkSummary(props.code, signal));
  if (loading) return <p className="muted">{t('loading')}</p>;
  if (error || !s) return <p className="error">{t('loadFailed')}: {error}</p>;
  const rate = s.space.vacancy_rate;
  return (
    <div className="park-summary" data-testid="park-summary" data-park={s.code}>
      <h3>{lang === 'en' ? s.name_en ?? s.name : s.name}</h3>
      <dl className="figures">
        <div><dt>{t('summary_land')}</dt><dd data-figure="land_mu">{num(s.land.land_mu, 1)} {t('mu')}</dd></div>
        <div><dt>{t('summary_idle')}</dt><dd data-figure="idle_mu" className={s.land.idle_mu > 0 ? 'alert' : ''}>{num(s.land.idle_mu, 1)} {t('mu')}</dd></div>
        <div><dt>{t('summary_floorArea')}</dt><dd data-figure="floor_area">{num(s.buildings.floor_area_m2 / 10000, 2)} {t('tenThousandM2')}</dd></div>
        <div><dt>{t('summary_vacancy')}</dt><dd data-figure="vacancy_rate">{rate === null ? '—' : `${num(rate * 100, 1)}%`}</dd></div>
        <div><dt>{t('summary_enterprises')}</dt><dd data-figure="enterprises">{num(s.enterprises.registered, 0)}</dd></div>
        <div><dt>{t('summary_tenants')}</dt><dd data-figure="tenants">{num(s.enterprises.tenants, 0)}</dd></div>
        <div><dt>{t('summary_parcels')}</dt><dd data-figure="parcels">{num(s.land.parcels, 0)}</dd></div>
      </dl>
    </div>
  );
}

import { useI18n } from '../i18n/i18n.tsx';
import { NO_UNITS_COLOR, PARCEL_STATUSES, STATUS_COLORS, vacancyGradient, ZONE_COLORS } from '../map/palette.ts';

export function Legend(props: { threeD: boolean; stale?: boolean }) {
  const { t } = useI18n();
  return (
    <section className="panel legend" data-testid="legend">
      <h2>{t('legend')}</h2>
      <h3>{t('legend_parcels')}</h3>
      <ul>
        {PARCEL_STATUSES.map((s) => (
          <li key={s}>
            <span className="swatch" style={{ background: STATUS_COLORS[s] }} />
            {t(`status_${s}`)}
          </li>
        ))}
        {props.stale && (
          <li data-testid="legend-stale"><span className="swatch hatch" />{t('stale_legend')}</li>
        )}
      </ul>
      <h3>{props.threeD ? t('legend_floors') : t('legend_buildings')}</h3>
      <div className="ramp" style={{ background: vacancyGradient() }} />
      <div className="ramp-labels">
        <span>{t('vacancyLow')}</span>
        <span>{t('vacancyHigh')}</span>
      </div>
      <ul>
        <li>
          <span className="swatch" style={{ background: NO_UNITS_COLOR }} />
          {t('legend_noUnits')}
        </li>
      </ul>
      <h3>{t('legend_zones')}</h3>
      <ul>
        <li><span className="swatch outline" style={{ borderColor: ZONE_COLORS.park }} />{t('layer_parks')}</li>
        <li><span className="swatch outline dashed" style={{ borderColor: ZONE_COLORS.area }} />{t('layer_areas')}</li>
        <li><span className="swatch" style={{ background: ZONE_COLORS.corridor, opacity: 0.5 }} />{t('layer_corridors')}</li>
      </ul>
    </section>
  );
}

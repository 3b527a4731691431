import { useI18n } from '../i18n/i18n.tsx';
import { LAYER_GROUPS, type LayerGroup } from '../url/app-state.ts';

export function LayerPanel(props: {
  layers: Record<LayerGroup, boolean>;
  onChange: (layers: Record<LayerGroup, boolean>) => void;
  stale: boolean;
  onStaleChange: (stale: boolean) => void;
}) {
  const { t } = useI18n();
  return (
    <section className="panel layer-panel" data-testid="layer-panel">
      <h2>{t('layers')}</h2>
      {LAYER_GROUPS.map((group) => (
        <label key={group} className="check">
          <input
            type="checkbox"
            name={`layer-${group}`}
            checked={props.layers[group]}
            onChange={(e) => props.onChange({ ...props.layers, [group]: e.target.checked })}
          />
          {t(`layer_${group}`)}
        </label>
      ))}
      <label className="check stale-toggle">
        <input type="checkbox" name="stale" checked={props.stale} onChange={(e) => props.onStaleChange(e.target.checked)} />
        {t('stale_toggle')}
      </label>
    </section>
  );
}

import type { Feature, NamedZone } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ParkSummaryCard } from './ParkSummaryCard.tsx';

/** The park view: pick one of the parks, fly to it, see its totals. */
export function ParkPanel(props: { parks: Feature<NamedZone>[]; park: string | null; onChoose: (park: Feature<NamedZone> | null) => void }) {
  const { t, lang } = useI18n();
  return (
    <section className="panel park-view" data-testid="park-view">
      <h2>{t('parkView')}</h2>
      <select
        name="focus-park"
        value={props.park ?? ''}
        onChange={(e) => props.onChoose(props.parks.find((p) => p.properties.code === e.target.value) ?? null)}
      >
        <option value="">{t('choosePark')}</option>
        {props.parks.map(({ properties: p }) => (
          <option key={p.code} value={p.code}>
            {p.code} {lang === 'en' ? p.name_en ?? p.name : p.name}
          </option>
        ))}
      </select>
      {props.park && <ParkSummaryCard code={props.park} />}
    </section>
  );
}

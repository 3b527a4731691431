import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

/** A block of the dashboard: a heading, its CSV download, the content. */
export function Block(props: { title: string; csv?: string; testId?: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <section className="panel dash-block" data-testid={props.testId}>
      <h2>
        {props.title}
        {props.csv && <a className="csv" href={props.csv} download>{t('dash_csv')}</a>}
      </h2>
      {props.children}
    </section>
  );
}

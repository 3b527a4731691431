import { useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * A new key's secret, shown this once: the API keeps only its digest. Closing the box drops it from
 * the page for good.
 */
export function SecretBox(props: { name: string; secret: string; onDone: () => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(props.secret);
      setCopied(true);
    } catch {
      // No clipboard permission: the text stays selected for Ctrl+C.
    }
  };
  return (
    <div className="secret-box" data-testid="key-secret-box" role="alert">
      <p className="warning" data-testid="key-secret-warning">{t('adm_secretWarning')}</p>
      <label className="field">
        {t('adm_secret')} · {props.name}
        <span className="secret-row">
          <input ref={input} type="text" readOnly value={props.secret} data-testid="key-secret" onFocus={(e) => e.target.select()} />
          <button type="button" data-testid="key-secret-copy" onClick={() => void copy()}>{copied ? t('adm_copied') : t('adm_copy')}</button>
        </span>
      </label>
      <button type="button" data-testid="key-secret-done" onClick={props.onDone}>{t('adm_secretDone')}</button>
    </div>
  );
}

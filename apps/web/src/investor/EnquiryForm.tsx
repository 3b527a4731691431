import { useState, type FormEvent } from 'react';
import { useAction } from '../api/useAction.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { looksLikeUscc, spaceApi, type EnquiryInput, type Lead, type SpaceItem } from './space-api.ts';

/** "Register interest" in one space: who asks and how to reach them → a new lead in the park's pipeline. */
export function EnquiryForm(props: { item: SpaceItem; onDone: (lead: Lead) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [company, setCompany] = useState('');
  const [contact, setContact] = useState('');
  const [phone, setPhone] = useState('');
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const who = company.trim();
    const input: EnquiryInput = {
      ...(looksLikeUscc(who.toUpperCase()) ? { enterprise: who.toUpperCase() } : { company_name: who }),
      contact_name: contact.trim(),
      ...(phone.trim() ? { contact_phone: phone.trim() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(props.item.kind === 'unit' ? { unit: props.item.id } : { parcel: props.item.id }),
    };
    void run(async () => props.onDone(await spaceApi.enquire(input)));
  };

  return (
    <form className="enquiry" data-testid="enquiry-form" onSubmit={submit}>
      <label className="field">
        {t('inv_company')}
        <input type="text" required maxLength={200} data-testid="enq-company" value={company} onChange={(e) => setCompany(e.target.value)} />
      </label>
      <label className="field">
        {t('inv_contact')}
        <input type="text" required maxLength={100} data-testid="enq-contact" value={contact} onChange={(e) => setContact(e.target.value)} />
      </label>
      <label className="field">
        {t('inv_phone')}
        <input type="tel" maxLength={40} data-testid="enq-phone" value={phone} onChange={(e) => setPhone(e.target.value)} />
      </label>
      <label className="field">
        {t('inv_note')}
        <textarea maxLength={2000} rows={2} data-testid="enq-note" value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {error && <p className="error" data-testid="enq-error">{error}</p>}
      <div className="form-actions">
        <button type="submit" disabled={busy} data-testid="enq-submit">{t('inv_send')}</button>
        <button type="button" className="link" onClick={props.onCancel}>{t('inv_cancel')}</button>
      </div>
    </form>
  );
}

/** What the investor sees once the lead exists: its number and stage. */
export function EnquiryDone(props: { lead: Lead }) {
  const { t } = useI18n();
  return (
    <p className="enquiry-done" data-testid="enquiry-done" data-lead={props.lead.id} data-stage={props.lead.stage}>
      {t('inv_enquiryDone')} #{props.lead.id} · {t('inv_stage')}: {t(`inv_stage_${props.lead.stage}` as MessageKey)}
    </p>
  );
}

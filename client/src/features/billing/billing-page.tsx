import { useState, type FormEvent } from 'react';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { cardBrand, cardProblems, CARD_BRAND_LABELS } from '@portico/shared';
import { useCan, useCurrentViewer } from '../../app/viewer-context';
import { Field } from '../../components/field';
import { EmptyState, ErrorState, FormError, Loading } from '../../components/states';
import { useToast } from '../../components/toast';
import { graphql } from '../../gql';
import { readError } from '../../lib/errors';
import { formatDate } from '../../lib/format';

export const BillingQuery = graphql(`
  query WorkspaceBilling { viewer { workspace { id billing { companyName addressLine1 addressLine2 city postalCode region country updatedAt card { brandLabel last4 expMonth expYear } } } } }
`);
const SetBillingMutation = graphql(`
  mutation SetBilling($input: SetBillingInput!) { setBilling(input: $input) { companyName card { brandLabel last4 expMonth expYear } } }
`);

/** The address fields the server requires; an empty one is marked before anything is sent, beside the card's. */
const REQUIRED_ADDRESS = [['companyName', 'Company name'], ['addressLine1', 'Address'], ['city', 'City'], ['postalCode', 'Postal code']] as const;

const COUNTRIES = [['US', 'United States'], ['CA', 'Canada'], ['GB', 'United Kingdom'], ['FR', 'France'], ['DE', 'Germany'], ['NL', 'Netherlands'], ['ES', 'Spain'], ['IT', 'Italy'], ['IE', 'Ireland'], ['SE', 'Sweden'], ['CH', 'Switzerland'], ['AU', 'Australia'], ['NZ', 'New Zealand'], ['JP', 'Japan'], ['SG', 'Singapore'], ['IN', 'India'], ['BR', 'Brazil']];

/** Workspace → Billing: the address and card that unlock Production (Admins). */
export function BillingPage() {
  const canManage = useCan('billing:manage');
  const viewer = useCurrentViewer();
  const client = useApolloClient();
  const { data, loading, error, refetch } = useQuery(BillingQuery, { skip: !canManage });
  const [save, state] = useMutation(SetBillingMutation);
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({ companyName: '', addressLine1: '', addressLine2: '', city: '', postalCode: '', region: '', country: 'US', number: '', expiry: '', cvc: '' });
  const [touched, setTouched] = useState(false);
  const toast = useToast();
  if (!canManage) {
    return (
      <div className="page">
        <div className="page-header"><div><h1>Billing</h1></div></div>
        <section className="card"><EmptyState level={2} title="Only Admins manage billing">{viewer.workspace?.billingConfigured ? 'Billing is set up: Production is unlocked.' : 'Billing is not set up yet, so Production is locked. Ask an Admin of your workspace.'}</EmptyState></section>
      </div>
    );
  }
  if (loading && !data) return <div className="page"><Loading /></div>;
  if (error && !data) return <div className="page"><ErrorState error={error} onRetry={() => refetch()} /></div>;
  const billing = data?.viewer?.workspace?.billing ?? null;
  const [month, year] = form.expiry.split('/').map((v) => Number(v.trim()));
  const card = { number: form.number, expMonth: month ?? NaN, expYear: year ?? NaN, cvc: form.cvc };
  const missing = REQUIRED_ADDRESS.filter(([key]) => !form[key].trim()).map(([key, label]) => [`address.${key}`, `${label} is required.`]);
  const problems = [...missing, ...cardProblems(card).map((p) => [p.field, p.message])];
  const local: Record<string, string> = touched ? Object.fromEntries(problems) : {};
  const server = readError(state.error)?.fields ?? {};
  const errorFor = (field: string) => local[field] ?? server[field];
  const startEditing = () => {
    if (billing) setForm({ ...form, companyName: billing.companyName, addressLine1: billing.addressLine1, addressLine2: billing.addressLine2 ?? '', city: billing.city, postalCode: billing.postalCode, region: billing.region ?? '', country: billing.country, number: '', expiry: '', cvc: '' });
    setEditing(true);
  };
  const brand = cardBrand(form.number);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problems.length) return;
    const { number, expiry: _expiry, cvc, ...address } = form;
    const result = await save({ variables: { input: { address: { ...address, addressLine2: address.addressLine2 || null, region: address.region || null }, card: { number, expMonth: card.expMonth, expYear: card.expYear, cvc } } } }).catch(() => null);
    if (result?.data) {
      setForm({ ...form, number: '', expiry: '', cvc: '' });
      setEditing(false);
      setTouched(false);
      toast.success(billing ? 'Billing details updated.' : 'Billing saved. Production is unlocked.');
      await Promise.all([refetch(), client.refetchQueries({ include: ['Viewer'] })]);
    }
  };
  const showForm = !billing || editing;
  return (
    <div className="page">
      <div className="page-header"><div><h1>Billing</h1><p>{billing ? 'Production is unlocked.' : 'Add a billing address and a card to unlock Production.'}</p></div></div>
      {billing && (
        <section className="card" aria-labelledby="current-billing">
          <div className="card-header"><div><h2 id="current-billing">Payment method</h2><p>Updated {formatDate(billing.updatedAt)}.</p></div>{!editing && <button className="btn" type="button" onClick={startEditing}>Update</button>}</div>
          <dl className="card-body kv">
            <dt>Card</dt><dd>{billing.card.brandLabel} ending in {billing.card.last4}, expires {String(billing.card.expMonth).padStart(2, '0')}/{billing.card.expYear}</dd>
            <dt>Billing address</dt><dd>{billing.companyName}<br />{billing.addressLine1}{billing.addressLine2 ? `, ${billing.addressLine2}` : ''}<br />{billing.postalCode} {billing.city}{billing.region ? `, ${billing.region}` : ''} · {billing.country}</dd>
          </dl>
        </section>
      )}
      {showForm && (
        <form className="card" onSubmit={submit} noValidate aria-labelledby="billing-form-title">
          <div className="card-header"><div><h2 id="billing-form-title">{billing ? 'Update billing' : 'Set up billing'}</h2><p>The card number goes to the payment provider; Portico keeps only its brand, last four digits and expiry.</p></div></div>
          <div className="card-body form">
            <FormError error={state.error} />
            <Field label="Company name" value={form.companyName} onChange={set('companyName')} error={errorFor('address.companyName')} autoComplete="organization" />
            <Field label="Address" value={form.addressLine1} onChange={set('addressLine1')} error={errorFor('address.addressLine1')} autoComplete="address-line1" />
            <Field label="Address line 2 (optional)" value={form.addressLine2} onChange={set('addressLine2')} autoComplete="address-line2" />
            <div className="grid-2">
              <Field label="City" value={form.city} onChange={set('city')} error={errorFor('address.city')} autoComplete="address-level2" />
              <Field label="Postal code" value={form.postalCode} onChange={set('postalCode')} error={errorFor('address.postalCode')} autoComplete="postal-code" />
              <Field label="State or region (optional)" value={form.region} onChange={set('region')} autoComplete="address-level1" />
              <div className="field">
                <label htmlFor="country">Country</label>
                <select id="country" className="select" value={form.country} onChange={set('country')} autoComplete="country">{COUNTRIES.map(([code, name]) => <option key={code} value={code}>{name}</option>)}</select>
              </div>
            </div>
            <Field label="Card number" value={form.number} onChange={set('number')} inputMode="numeric" autoComplete="cc-number" placeholder="4242 4242 4242 4242" hint={brand ? CARD_BRAND_LABELS[brand] : undefined} error={errorFor('card.number')} />
            <div className="grid-2">
              <Field label="Expiry (MM/YYYY)" value={form.expiry} onChange={set('expiry')} placeholder="12/2030" autoComplete="cc-exp" error={errorFor('card.expMonth') ?? errorFor('card.expYear')} />
              <Field label="Security code" value={form.cvc} onChange={set('cvc')} inputMode="numeric" autoComplete="cc-csc" placeholder={brand === 'amex' ? '4 digits' : '3 digits'} error={errorFor('card.cvc')} />
            </div>
            <div className="form-actions">
              {billing && <button className="btn" type="button" onClick={() => { setEditing(false); setTouched(false); }}>Cancel</button>}
              <button className="btn btn-primary" type="submit" disabled={state.loading}>{state.loading ? 'Saving…' : billing ? 'Save' : 'Save and unlock Production'}</button>
            </div>
          </div>
        </form>
      )}
    </div>
  );
}

import type { FieldError } from './error-codes';

/** Card brands by number prefix and the lengths each issues (the CVC of American Express has 4 digits). */
const BRANDS: { brand: CardBrand; pattern: RegExp; lengths: number[] }[] = [
  { brand: 'amex', pattern: /^3[47]/, lengths: [15] },
  { brand: 'visa', pattern: /^4/, lengths: [13, 16, 19] },
  { brand: 'mastercard', pattern: /^(5[1-5]|2(2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/, lengths: [16] },
  { brand: 'discover', pattern: /^(6011|65|64[4-9])/, lengths: [16, 19] },
  { brand: 'diners', pattern: /^(36|30[0-5]|38|39)/, lengths: [14, 16, 19] },
  { brand: 'jcb', pattern: /^35(2[89]|[3-8]\d)/, lengths: [16, 17, 18, 19] },
  { brand: 'unionpay', pattern: /^62/, lengths: [16, 17, 18, 19] },
];

export type CardBrand = 'amex' | 'visa' | 'mastercard' | 'discover' | 'diners' | 'jcb' | 'unionpay';

export const CARD_BRAND_LABELS: Record<CardBrand, string> = {
  amex: 'American Express', visa: 'Visa', mastercard: 'Mastercard', discover: 'Discover', diners: 'Diners Club', jcb: 'JCB', unionpay: 'UnionPay',
};

export const cardDigits = (number: string) => number.replace(/[\s-]/g, '');

export function cardBrand(number: string): CardBrand | null {
  const digits = cardDigits(number);
  return BRANDS.find((b) => b.pattern.test(digits))?.brand ?? null;
}

/** The Luhn checksum every card number carries. */
export function luhnValid(number: string): boolean {
  const digits = cardDigits(number);
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/** Why a card can't be used, field by field; empty when it can. `now` decides whether the expiry has passed. */
export function cardProblems(card: CardInput, now = new Date()): FieldError[] {
  const problems: FieldError[] = [];
  const digits = cardDigits(card.number);
  const brand = cardBrand(digits);
  if (!/^\d{12,19}$/.test(digits)) problems.push({ field: 'card.number', code: 'invalid_number', message: 'Enter the 12 to 19 digits on the card.' });
  else if (!brand) problems.push({ field: 'card.number', code: 'unsupported_brand', message: 'Use a Visa, Mastercard, American Express, Discover, Diners Club, JCB or UnionPay card.' });
  else if (!BRANDS.find((b) => b.brand === brand)!.lengths.includes(digits.length)) problems.push({ field: 'card.number', code: 'invalid_length', message: `A ${CARD_BRAND_LABELS[brand]} number does not have ${digits.length} digits.` });
  else if (!luhnValid(digits)) problems.push({ field: 'card.number', code: 'invalid_checksum', message: 'This card number has a typo (its check digit is wrong).' });
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) problems.push({ field: 'card.expMonth', code: 'invalid_month', message: 'Enter the month as 1 to 12.' });
  const year = card.expYear < 100 ? 2000 + card.expYear : card.expYear;
  if (!Number.isInteger(card.expYear) || year < 2000 || year > now.getUTCFullYear() + 25) problems.push({ field: 'card.expYear', code: 'invalid_year', message: 'Enter the year on the card.' });
  else if (card.expMonth >= 1 && card.expMonth <= 12 && (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && card.expMonth < now.getUTCMonth() + 1))) {
    problems.push({ field: 'card.expYear', code: 'expired', message: 'This card has expired.' });
  }
  const cvcLength = brand === 'amex' ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(card.cvc.trim())) problems.push({ field: 'card.cvc', code: 'invalid_cvc', message: `Enter the ${cvcLength}-digit security code.` });
  return problems;
}

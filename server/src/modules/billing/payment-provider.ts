import { randomBytes } from 'node:crypto';
import { cardBrand, cardDigits, type CardInput } from '@portico/shared';

export interface TokenizedCard {
  token: string;
  brand: string;
  last4: string;
}

/**
 * Where a card number goes: a provider that keeps it and gives back an opaque token (Stripe, Adyen …). Portico
 * keeps only the token, the brand, the last four digits and the expiry.
 */
export interface PaymentProvider {
  tokenize(card: CardInput): Promise<TokenizedCard>;
}

/** The default provider for self-hosted installs: it charges nobody and remembers nothing; the token is random. */
export const localPaymentProvider: PaymentProvider = {
  async tokenize(card) {
    const digits = cardDigits(card.number);
    return { token: `tok_local_${randomBytes(16).toString('hex')}`, brand: cardBrand(digits) ?? 'unknown', last4: digits.slice(-4) };
  },
};

import { cardBrand, cardProblems, luhnValid } from '@portico/shared';

const NOW = new Date('2026-11-26T12:00:00Z');
const codes = (card: Partial<Parameters<typeof cardProblems>[0]>) =>
  cardProblems({ number: '4242 4242 4242 4242', expMonth: 12, expYear: 2030, cvc: '123', ...card }, NOW).map((p) => `${p.field}:${p.code}`);

describe('card validation', () => {
  it('checks the Luhn digit', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(codes({ number: '4242 4242 4242 4241' })).toEqual(['card.number:invalid_checksum']);
  });

  it.each([
    ['4242424242424242', 'visa'], ['5555555555554444', 'mastercard'], ['2223003122003222', 'mastercard'], ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'], ['3056930009020004', 'diners'], ['3566002020360505', 'jcb'], ['6200000000000005', 'unionpay'], ['9999999999999995', null],
  ])('knows the brand of %s', (number, brand) => {
    expect(cardBrand(number)).toBe(brand);
  });

  it('refuses unknown brands, wrong lengths, letters, past expiries and wrong CVC lengths', () => {
    expect(codes({ number: '9999 9999 9999 9995' })).toEqual(['card.number:unsupported_brand']);
    expect(codes({ number: '4242 4242 4242 42' })).toEqual(['card.number:invalid_length']);
    expect(codes({ number: '4242-abcd' })).toEqual(['card.number:invalid_number']);
    expect(codes({ expMonth: 10, expYear: 2026 })).toEqual(['card.expYear:expired']);
    expect(codes({ expMonth: 11, expYear: 2026 })).toEqual([]);
    expect(codes({ expMonth: 13 })).toEqual(['card.expMonth:invalid_month']);
    expect(codes({ expYear: 30 })).toEqual([]);
    expect(codes({ cvc: '12' })).toEqual(['card.cvc:invalid_cvc']);
    expect(codes({ number: '378282246310005', cvc: '123' })).toEqual(['card.cvc:invalid_cvc']);
    expect(codes({ number: '378282246310005', cvc: '1234' })).toEqual([]);
  });
});

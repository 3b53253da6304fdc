export type TextFlaw = 'nul_character' | 'lone_surrogate';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Text Portico never stores: U+0000 (PostgreSQL text can't hold it, so it surfaced as a QueryFailedError) and lone
 * UTF-16 surrogates (not Unicode: drivers and XML tools replace or reject them). Null when `text` is neither.
 */
export function textFlawOf(text: string): TextFlaw | null {
  if (text.includes('\0')) return 'nul_character';
  return LONE_SURROGATE.test(text) ? 'lone_surrogate' : null;
}

export const TEXT_FLAW_WORDING: Record<TextFlaw, string> = {
  nul_character: 'contains a NUL character',
  lone_surrogate: 'contains a lone UTF-16 surrogate, which is not valid Unicode',
};

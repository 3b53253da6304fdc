import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { XmlView } from './xml-view';

describe('XmlView', () => {
  it('keeps the indentation of deeply nested XML bounded, so a refused 1,000-level response renders small', () => {
    const depth = 1000;
    const { container } = render(<XmlView title="SAML Response" xml={`${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}`} fileName="r.xml" />);
    const text = container.querySelector('pre')!.textContent!;
    // Full indentation would be about 2 × depth² = 2,000,000 spaces.
    expect(text.length).toBeLessThan(200_000);
    expect(text.split('\n').filter(Boolean)).toHaveLength(2 * depth);
  });
});

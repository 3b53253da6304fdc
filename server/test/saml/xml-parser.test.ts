import { DOMParser } from '@xmldom/xmldom';
import { SamlError } from '../../src/auth/saml/saml-error';
import { XML_LIMITS } from '../../src/auth/saml/xml';
import { parseSamlXml, type XmlElement } from '../../src/auth/saml/xml-parser';

/** Portico's parser of SAML messages refuses what is not well-formed XML 1.0 with namespaces, naming the problem. */
const refusal = (xml: string) => {
  try {
    parseSamlXml(xml);
    return null;
  } catch (err) {
    return err instanceof SamlError ? { reason: err.reason, problem: String((err.details?.parser as string[] | undefined)?.[0] ?? '') } : err;
  }
};

describe('parseSamlXml', () => {
  it.each([
    ['a mismatched end tag', '<a><b></a></b>', 'closes no open element'],
    ['an unclosed element', '<a><b></b>', 'never closed'],
    ['a second root', '<a/><b/>', 'second root'],
    ['text outside the root', '<a/>text', 'outside the root'],
    ['an unbound element prefix', '<p:a/>', 'undeclared prefix'],
    ['an unbound attribute prefix', '<a p:x="1"/>', 'undeclared prefix'],
    ['a duplicate attribute', '<a x="1" x="2"/>', 'appears twice'],
    ['the same attribute under two prefixes of one namespace', '<a xmlns:p="urn:x" xmlns:q="urn:x" p:x="1" q:x="2"/>', 'appears twice'],
    ['< in an attribute value', '<a x="<"/>', 'contains <'],
    ['an unknown entity', '<a>&nbsp;</a>', 'predefined entities'],
    ['a bare &', '<a>fish & chips</a>', 'predefined entities'],
    ['a reference to a forbidden character', '<a>&#0;</a>', 'does not allow'],
    ['a raw control character', '<a>\u0001</a>', 'does not allow'],
    [']]> in text', '<a>]]></a>', ']]>'],
    ['-- inside a comment', '<a><!-- a -- b --></a>', '-- inside'],
    ['an unquoted attribute', '<a x=1/>', 'not quoted'],
    ['attributes run together', '<a x="1"y="2"/>', 'whitespace'],
    ['a prefix undeclared (XML 1.0 has no xmlns:p="")', '<a xmlns:p=""/>', 'undeclared'],
    ['a malformed qualified name', '<a:b:c xmlns:a="urn:a"/>', 'not a qualified name'],
    ['a processing instruction named xml past the start', '<a><?xml version="1.0"?></a>', 'valid target'],
    ['a CDATA section outside the root', '<![CDATA[x]]><a/>', 'markup declaration'],
  ])('refuses %s', (_label, xml, problem) => {
    expect(refusal(xml)).toEqual({ reason: 'not_xml', problem: expect.stringContaining(problem) });
  });

  it('reads character references with leading zeros, as XML allows, and refuses one past U+10FFFF however written', () => {
    const text = (xml: string) => (parseSamlXml(xml).documentElement!.firstChild as unknown as CharacterData).data;
    expect(text('<a>&#x0000000041;&#0000000000066;&#x0043;</a>')).toBe('ABC');
    expect(refusal('<a>&#x00000110000;</a>')).toMatchObject({ reason: 'not_xml', problem: expect.stringContaining('does not allow') });
    expect(refusal('<a>&#0;</a>')).toMatchObject({ reason: 'not_xml', problem: expect.stringContaining('does not allow') });
    expect(refusal('<a>&#123456789;</a>')).toMatchObject({ reason: 'not_xml' });
  });

  it.each([
    ['comments', '<!---->'],
    ['processing instructions', '<?p?>'],
    ['CDATA sections', '<![CDATA[]]>'],
  ])(`refuses more than ${XML_LIMITS.maxElements} %s, as it refuses more elements`, (_label, node) => {
    expect(refusal(`<a>${node.repeat(XML_LIMITS.maxElements + 1)}</a>`)).toMatchObject({ reason: 'xml_too_large' });
    expect(refusal(`<a>${node.repeat(XML_LIMITS.maxElements)}</a>`)).toBeNull();
  });

  it.each([
    ['a declaration that is not one', '<?xml garbage <b> ?><a/>', 'XML declaration'],
    ['a declaration without its version', '<?xml encoding="UTF-8"?><a/>', 'XML declaration'],
    ['a declaration with its parts out of order', '<?xml version="1.0" standalone="yes" encoding="UTF-8"?><a/>', 'XML declaration'],
    ['an encoding other than UTF-8 (the message was decoded as UTF-8)', '<?xml version="1.0" encoding="UTF-16"?><a/>', 'encoding UTF-16'],
    ['ISO-8859-1', "<?xml version='1.0' encoding='ISO-8859-1'?><a/>", 'encoding ISO-8859-1'],
  ])('refuses %s', (_label, xml, problem) => {
    expect(refusal(xml)).toEqual({ reason: 'not_xml', problem: expect.stringContaining(problem) });
  });

  it.each([
    '<?xml version="1.0"?><a/>',
    '<?xml version="1.0" encoding="UTF-8"?><a/>',
    "<?xml version='1.0' encoding='utf-8' standalone='no' ?><a/>",
    '<?xml  version = "1.0"\n encoding="US-ASCII"?>\n<a/>',
  ])('accepts the XML declaration %s', (xml) => {
    expect(refusal(xml)).toBeNull();
  });

  it('refuses a DTD before parsing anything', () => {
    expect(refusal('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')).toMatchObject({ reason: 'dtd_not_allowed' });
  });

  it(`refuses more than ${XML_LIMITS.maxAttributes} attributes on one element`, () => {
    const attributes = (n: number) => Array.from({ length: n }, (_, i) => ` a${i}="${i}"`).join('');
    expect(refusal(`<a${attributes(XML_LIMITS.maxAttributes + 1)}/>`)).toMatchObject({ reason: 'xml_too_large' });
    expect(refusal(`<a${attributes(XML_LIMITS.maxAttributes)}/>`)).toBeNull();
  });

  it('reads what @xmldom/xmldom reads: line ends, attribute normalization, references, CDATA, namespaces', () => {
    const xml = '<?xml version="1.0"?>\r\n<r xmlns="urn:d" xmlns:p="urn:p"><p:e p:x="a\tb\r\nc&#9;&#xD;&lt;&amp;&quot;" y=\'&apos;\'>t\r\nu\rv&#13;&#128512;<![CDATA[<&>]]></p:e><e xmlns=""/></r>';
    const ours = parseSamlXml(xml).documentElement!;
    const theirs = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
    const pick = (e: XmlElement | Element) => {
      const first = e.firstChild as unknown as XmlElement;
      const last = e.lastChild as unknown as XmlElement;
      return {
        ns: e.namespaceURI, firstNs: first.namespaceURI, firstLocal: first.localName, x: first.getAttributeNS('urn:p', 'x'), y: first.getAttribute('y'),
        text: (first.firstChild as unknown as CharacterData).data, cdata: (first.lastChild as unknown as CharacterData).data, // xmldom answers '' for no namespace under xmlns="", the DOM null: the same for every reader here.
        lastNs: last.namespaceURI || null,
      };
    };
    expect(pick(ours)).toEqual(pick(theirs));
    expect(pick(ours)).toMatchObject({ x: 'a b c\t\r<&"', text: 't\nu\nv\r😀', lastNs: null });
  });

  describe('a 1 MB hostile message costs what a benign one of its size costs (CPU time, best of three)', () => {
    const list = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('');
    const fill = (head: string, unit: string, tail: string) => head + unit.repeat(Math.floor((990_000 - head.length - tail.length) / unit.length)) + tail;
    const cpuMs = (xml: string) => {
      let best = Infinity;
      for (let k = 0; k < 3; k += 1) {
        const started = process.cpuUsage();
        parseSamlXml(xml);
        const used = process.cpuUsage(started);
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      return best;
    };
    // 62 nested elements each declaring 255 prefixes, then names using the prefix declared outside them all: each
    // lookup used to walk every declaration in scope (1.2 s of CPU against 0.11 s for the same text without them).
    const element = `<z:x${list(40, (i) => ` z:a${i}=""`)}/>`;
    const levels = (attribute: (i: number, d: number) => string) => list(62, (d) => `<e${list(255, (i) => attribute(i, d))}>`);
    const close = `${'</e>'.repeat(62)}</r>`;

    it('names whose prefix is declared far out, under thousands of declarations', () => {
      const hostile = fill(`<r xmlns:z="urn:z">${levels((i, d) => ` xmlns:p${i}="urn:${d}"`)}`, element, close);
      const benign = fill(`<r xmlns:z="urn:z">${levels((i, d) => ` p${i}="urn:${d}"`)}`, element, close);
      expect(Math.abs(hostile.length - benign.length)).toBeLessThan(1000);
      cpuMs(benign);
      expect(cpuMs(hostile)).toBeLessThan(3 * cpuMs(benign));
    });
  });
});

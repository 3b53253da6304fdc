import { Fragment, useMemo, type ReactNode } from 'react';
import { CopyButton } from './copy-button';

/**
 * Untrusted XML, indented and highlighted without ever being parsed as markup: it is tokenized into tags, text
 * and comments and rendered as React text, so nothing in it can run or fetch anything.
 */
function tokenize(xml: string): { kind: 'open' | 'close' | 'self' | 'decl' | 'comment' | 'text'; raw: string }[] {
  const tokens: { kind: 'open' | 'close' | 'self' | 'decl' | 'comment' | 'text'; raw: string }[] = [];
  const pattern = /<!--[\s\S]*?-->|<[?!][\s\S]*?>|<\/[^>]+>|<[^>]+\/>|<[^>]+>|[^<]+/g;
  for (const match of xml.matchAll(pattern)) {
    const raw = match[0];
    const kind = raw.startsWith('<!--') ? 'comment' : raw.startsWith('<?') || raw.startsWith('<!') ? 'decl' : raw.startsWith('</') ? 'close' : raw.endsWith('/>') ? 'self' : raw.startsWith('<') ? 'open' : 'text';
    if (kind === 'text' && !raw.trim()) continue;
    tokens.push({ kind, raw: kind === 'text' ? raw.trim() : raw });
  }
  return tokens;
}

function highlightTag(raw: string): ReactNode {
  const match = /^(<\/?)([^\s/>]+)([\s\S]*?)(\/?>)$/.exec(raw);
  if (!match) return raw;
  const [, open, name, rest, close] = match;
  const attributes: ReactNode[] = [];
  let last = 0;
  for (const attribute of rest!.matchAll(/([^\s=]+)(\s*=\s*)("[^"]*"|'[^']*')/g)) {
    attributes.push(rest!.slice(last, attribute.index), <span key={attribute.index} className="a">{attribute[1]}</span>, attribute[2], <span key={`v${attribute.index}`} className="v">{attribute[3]}</span>);
    last = attribute.index! + attribute[0].length;
  }
  attributes.push(rest!.slice(last));
  return <>{open}<span className="t">{name}</span>{attributes}{close}</>;
}

const MAX_INDENT = 32;

export function prettyXml(xml: string): ReactNode[] {
  const lines: ReactNode[] = [];
  let depth = 0;
  const tokens = tokenize(xml);
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token.kind === 'close') depth = Math.max(0, depth - 1);
    // Indent at most 32 levels: a refused response may nest thousands deep, and full indentation would grow as depth².
    const indent = '  '.repeat(Math.min(depth, MAX_INDENT));
    // <a>text</a> stays on one line
    if (token.kind === 'open' && tokens[i + 1]?.kind === 'text' && tokens[i + 2]?.kind === 'close') {
      lines.push(<Fragment key={i}>{indent}{highlightTag(token.raw)}{tokens[i + 1]!.raw}{highlightTag(tokens[i + 2]!.raw)}{'\n'}</Fragment>);
      i += 2;
      continue;
    }
    const body = token.kind === 'text' ? token.raw : token.kind === 'comment' || token.kind === 'decl' ? <span className="c">{token.raw}</span> : highlightTag(token.raw);
    lines.push(<Fragment key={i}>{indent}{body}{'\n'}</Fragment>);
    if (token.kind === 'open') depth += 1;
  }
  return lines;
}

export function XmlView({ title, xml, fileName, description }: { title: string; xml: string; fileName: string; description?: ReactNode }) {
  const lines = useMemo(() => prettyXml(xml), [xml]);
  const download = () => {
    const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
    link.click();
    URL.revokeObjectURL(url);
  };
  const id = fileName.replace(/\W/g, '-');
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-header">
        <div><h2 id={id}>{title}</h2>{description && <p>{description}</p>}</div>
        <div className="copy-row"><CopyButton value={xml} label={title} /><button className="btn btn-sm" type="button" onClick={download}>Download</button></div>
      </div>
      <pre className="xml" tabIndex={0} aria-label={`${title} XML`}>{lines}</pre>
    </section>
  );
}

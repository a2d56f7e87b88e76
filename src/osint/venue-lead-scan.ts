import { isCapitalised, type Token } from './text-tokens.js';

/**
 * Venues whose kind word comes first, as French, Spanish and English street names put it:
 * "the Promenade des Anglais", "Avenue of the Americas", "Rue de Rivoli", "Paseo de la Reforma".
 * The kind word, joiners ("de", "des", "la", "of the"), then at least one capitalised word.
 */
const LEAD_HEADS = new Set([
  'promenade',
  'rue',
  'avenue',
  'boulevard',
  'paseo',
  'calle',
  'plaza',
  'piazza',
  'place',
  'praca',
  // Markets and stations: "the Marché à bétail de Ngaoundaye", "the Gare routière de Bamako".
  'marche',
  'mercado',
  'gare',
  'estacion',
]);
// Heads whose kind may go on in lower-case words before the joiner: "Marché à bétail de",
// "Gare routière de", "Mercado municipal de".
const QUALIFIED_HEADS = new Set(['marche', 'mercado', 'gare', 'estacion']);
// Kind words a name follows at once: "Estancia Santa Clara", "Camp Speicher", "Paseo Marítimo".
const DIRECT_HEADS = new Set([
  'estancia',
  'hacienda',
  'fazenda',
  'finca',
  'camp',
  'paseo',
  'calle',
  'plaza',
  'avenida',
  // "Place Garibaldi", "Piazza Maggiore", "Praça Mauá".
  'place',
  'piazza',
  'praca',
  'hotel',
  // "Bar Los Arcos", "Cantina El Paraíso": only before a Spanish article (not "the Bar Association").
  'bar',
  'cantina',
  'discoteca',
  // "the Clinique Saint-Joseph", "the Hôpital Saint-Luc", "the École Sainte-Marie".
  'clinique',
  'hopital',
  'ecole',
  'eglise',
  'mosquee',
  'lycee',
  'iglesia',
  'escuela',
  'colegio',
]);
const ARTICLE_LED = new Set(['bar', 'cantina', 'discoteca']);
// French and Spanish institutions written in lower case before "de" and a town: "the commissariat
// de Karimama", "the gendarmerie de Kandi".
const LOWER_LEAD = new Set(['commissariat', 'gendarmerie', 'mairie', 'prefecture', 'comisaria', 'alcaldia']);
const JOINERS = new Set([
  'de',
  'des',
  'du',
  'del',
  'la',
  'le',
  'les',
  // "Plaza de las Tendillas", "Praça dos Três Poderes".
  'las',
  'los',
  'do',
  'da',
  'dos',
  'das',
  'of',
  'the',
  'di',
  'della',
  'al',
  'el',
]);

export interface LeadVenue {
  name: string;
  start: number;
  end: number;
  from: number;
  to: number;
}

export function scanLeadVenues(text: string, tokens: readonly Token[], taken: Uint8Array): LeadVenue[] {
  const out: LeadVenue[] = [];
  const single = (a: number) => text.slice((tokens[a] as Token).end, (tokens[a + 1] as Token).start) === ' ';
  for (let i = 0; i < tokens.length - 2; i++) {
    const head = tokens[i] as Token;
    const direct = DIRECT_HEADS.has(head.fold);
    const lower =
      LOWER_LEAD.has(head.fold) && head.text === head.fold && /^(?:de|du|d)$/.test(tokens[i + 1]?.fold ?? '');
    if (
      !(LEAD_HEADS.has(head.fold) || direct || lower) ||
      !(isCapitalised(head.text) || lower) ||
      taken[i] === 2
    )
      continue;
    if (ARTICLE_LED.has(head.fold) && !/^(?:los|las|el|la)$/.test(tokens[i + 1]?.fold ?? '')) continue;
    let k = i + 1;
    if (QUALIFIED_HEADS.has(head.fold)) {
      let q = k;
      while (
        q < tokens.length &&
        q - k < 3 &&
        !JOINERS.has((tokens[q] as Token).fold) &&
        !isCapitalised((tokens[q] as Token).text) &&
        single(q - 1)
      )
        q++;
      if (q > k && JOINERS.has((tokens[q] as Token | undefined)?.fold ?? '')) k = q;
    }
    while (k < tokens.length && k - i <= 3 && JOINERS.has((tokens[k] as Token).fold) && single(k - 1)) k++;
    if (k === i + 1 && !direct && !lower) continue;
    let to = k;
    while (to < tokens.length && to - k < 3 && isCapitalised((tokens[to] as Token).text) && single(to - 1))
      to++;
    if (to === k) continue;
    const end = (tokens[to - 1] as Token).end;
    // "the Grand Marché de Mora", "the Nuevo Mercado de X": an adjective of size or age leads it.
    const adj = tokens[i - 1];
    const led =
      adj !== undefined &&
      /^(?:grand|grande|gran|petit|nouveau|nuevo|vieux|viejo)$/.test(adj.fold) &&
      isCapitalised(adj.text) &&
      single(i - 1);
    const from = led ? i - 1 : i;
    const start = (tokens[from] as Token).start;
    out.push({ name: text.slice(start, end), start, end, from, to });
    i = to - 1;
  }
  return out;
}

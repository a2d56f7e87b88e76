/**
 * TAXII timestamps carry microseconds (date_added, added_after, X-TAXII-Date-Added-*); the
 * hub's feed positions are epoch microseconds, so conversions must not round through a Date.
 */
const TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

export function formatMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const micro = us - ms * 1000;
  const iso = new Date(ms).toISOString(); // …T00:00:00.123Z
  return `${iso.slice(0, 23)}${String(micro).padStart(3, '0')}Z`;
}

/** Epoch microseconds of an RFC 3339 UTC timestamp (digits past the sixth are truncated). */
export function parseMicros(text: string): number | undefined {
  const m = TS.exec(text);
  if (!m) return undefined;
  const secondsMs = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(secondsMs)) return undefined;
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return secondsMs * 1000 + Number(frac);
}

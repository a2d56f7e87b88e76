import type { JsonObject } from './types.js';

/** TLP 2.0 levels in order of restriction; TLP 1.0 WHITE maps to CLEAR. */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type TlpLevel = (typeof TLP_LEVELS)[number];

export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

interface TlpMarking {
  id: string;
  level: TlpLevel;
  version: '1.0' | '2.0';
  definition: JsonObject;
}

function tlp2(id: string, level: TlpLevel, name: string): TlpMarking {
  return {
    id,
    level,
    version: '2.0',
    definition: {
      type: 'marking-definition',
      spec_version: '2.1',
      id,
      created: '2022-10-01T00:00:00.000Z',
      name,
      extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
    },
  };
}

function tlp1(id: string, level: TlpLevel, tlp: string): TlpMarking {
  return {
    id,
    level,
    version: '1.0',
    definition: {
      type: 'marking-definition',
      spec_version: '2.1',
      id,
      created: '2017-01-20T00:00:00.000Z',
      definition_type: 'tlp',
      name: `TLP:${tlp.toUpperCase()}`,
      definition: { tlp },
    },
  };
}

/** The standard TLP marking definitions (STIX 2.1 spec section 7.2.1.4 and the TLP 2.0 extension). */
export const TLP_MARKINGS: readonly TlpMarking[] = [
  tlp2('marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', 'clear', 'TLP:CLEAR'),
  tlp2('marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'green', 'TLP:GREEN'),
  tlp2('marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'amber', 'TLP:AMBER'),
  tlp2('marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', 'amber+strict', 'TLP:AMBER+STRICT'),
  tlp2('marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', 'red', 'TLP:RED'),
  tlp1('marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'clear', 'white'),
  tlp1('marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'green', 'green'),
  tlp1('marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'amber', 'amber'),
  tlp1('marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', 'red', 'red'),
];

const byId = new Map(TLP_MARKINGS.map((m) => [m.id, m]));

/** The TLP level of a standard TLP marking id, or undefined for any other marking. */
export function tlpLevelOf(markingId: string): TlpLevel | undefined {
  return byId.get(markingId)?.level;
}

export function isStandardTlpMarking(markingId: string): boolean {
  return byId.has(markingId);
}

/** The TLP 2.0 marking-definition id for a level. */
export function tlp2MarkingId(level: TlpLevel): string {
  const found = TLP_MARKINGS.find((m) => m.version === '2.0' && m.level === level);
  if (!found) throw new Error(`no TLP 2.0 marking for ${level}`);
  return found.id;
}

/** Compares levels by restriction: negative when a is less restrictive than b. */
export function compareTlp(a: TlpLevel, b: TlpLevel): number {
  return TLP_LEVELS.indexOf(a) - TLP_LEVELS.indexOf(b);
}

export function isTlpLevel(value: unknown): value is TlpLevel {
  return typeof value === 'string' && (TLP_LEVELS as readonly string[]).includes(value);
}

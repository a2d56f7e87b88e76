import { isRfc5646Tag } from './language-codes.js';
import { TLP_MARKINGS, TLP2_EXTENSION_ID } from './markings-tlp.js';
import { anyValue, dictOf, listOf, oneOf, ref, str, timestamp } from './property-checks.js';
import { isPropertyName } from './stix-formats.js';
import type { ObjectRule, TypeSpec } from './type-spec.js';
import { quote } from './validation-sink.js';

const TLP1_BY_COLOUR = new Map(
  TLP_MARKINGS.filter((m) => m.version === '1.0').map((m) => [
    (m.definition.definition as { tlp: string }).tlp,
    m.id,
  ]),
);
const TLP2_BY_LEVEL = new Map(TLP_MARKINGS.filter((m) => m.version === '2.0').map((m) => [m.level, m.id]));

/** section 7.2.1: definition_type + definition, or an extension, and TLP only through the standard ids. */
const markingContent: ObjectRule = (o, s) => {
  const dt = o.definition_type;
  const def = o.definition;
  const ext = o.extensions;
  if (dt === undefined && ext === undefined) {
    s.error(
      '',
      'co-constraint',
      'a marking-definition needs definition_type with definition, or extensions; add one',
    );
  }
  if (dt !== undefined && def === undefined)
    s.error('definition', 'missing-required', 'definition: is required with definition_type; add it');
  if (dt === undefined && def !== undefined)
    s.error('definition_type', 'missing-required', 'definition_type: is required with definition; add it');
  if (typeof dt === 'string' && dt !== 'tlp' && dt !== 'statement') {
    s.warn(
      'definition_type',
      'not-in-vocab',
      `definition_type: ${quote(dt)} should be 'statement' or 'tlp' (or use an extension)`,
    );
  }
  if (typeof def !== 'object' || def === null || Array.isArray(def)) {
    if (def !== undefined) s.error('definition', 'invalid-property-type', 'definition: must be an object');
    return;
  }
  const d = def as Record<string, unknown>;
  if (dt === 'statement' && typeof d.statement !== 'string') {
    s.error(
      'definition.statement',
      'missing-required',
      'definition.statement: a statement marking needs a statement string',
    );
  }
  if (dt === 'tlp') {
    const colour = d.tlp;
    const expected = typeof colour === 'string' ? TLP1_BY_COLOUR.get(colour) : undefined;
    if (expected === undefined) {
      s.error(
        'definition.tlp',
        'invalid-tlp',
        `definition.tlp: ${quote(colour)} must be one of white, green, amber, red`,
      );
    } else if (o.id !== expected) {
      s.error(
        'id',
        'invalid-tlp',
        `id: a TLP:${String(colour).toUpperCase()} marking must use the standard id ${expected}`,
      );
    }
  }
};

const tlp2Content: ObjectRule = (o, s) => {
  const ext = o.extensions;
  if (typeof ext !== 'object' || ext === null || Array.isArray(ext)) return;
  const tlp = (ext as Record<string, unknown>)[TLP2_EXTENSION_ID];
  if (typeof tlp !== 'object' || tlp === null || Array.isArray(tlp)) return;
  const level = (tlp as Record<string, unknown>).tlp_2_0;
  const p = `extensions.${TLP2_EXTENSION_ID}.tlp_2_0`;
  const expected = typeof level === 'string' ? TLP2_BY_LEVEL.get(level as never) : undefined;
  if (expected === undefined) {
    s.error(p, 'invalid-tlp', `${p}: ${quote(level)} must be one of clear, green, amber, amber+strict, red`);
  } else if (o.id !== expected) {
    s.error('id', 'invalid-tlp', `id: a TLP 2.0 ${level} marking must use the standard id ${expected}`);
  }
};

const contents = dictOf();
const EXTENSION_TYPES = [
  'new-sdo',
  'new-sco',
  'new-sro',
  'property-extension',
  'toplevel-property-extension',
];

export const META_SPECS: readonly TypeSpec[] = [
  {
    type: 'marking-definition',
    category: 'meta',
    // section 7.2.1 states no precision for a marking definition's created.
    props: { name: str, definition_type: str, definition: anyValue, created: timestamp },
    required: ['type', 'spec_version', 'id', 'created'],
    omitCommon: ['modified', 'revoked', 'labels', 'confidence', 'lang'],
    rules: [markingContent, tlp2Content],
  },
  {
    type: 'language-content',
    category: 'meta',
    props: {
      object_ref: ref({
        categories: ['sdo', 'sco', 'sro'],
        types: ['marking-definition', 'extension-definition'],
      }),
      object_modified: timestamp,
      contents: (v, p, s) => {
        contents(v, p, s);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
        for (const key in v) {
          if (!isRfc5646Tag(key)) {
            s.error(
              `${p}.${key}`,
              'invalid-format',
              `${p}: key ${quote(key)} is not an RFC 5646 language tag like 'es'`,
            );
          }
          const inner = (v as Record<string, unknown>)[key];
          if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
            s.error(
              `${p}.${key}`,
              'invalid-property-type',
              `${p}.${key}: must be a dictionary of property names to translations`,
            );
            continue;
          }
          for (const prop in inner) {
            if (!isPropertyName(prop)) {
              s.error(
                `${p}.${key}.${prop}`,
                'invalid-property-name',
                `${p}.${key}: ${quote(prop)} is not a property name`,
              );
            }
          }
        }
      },
    },
    required: ['type', 'spec_version', 'id', 'created', 'modified', 'object_ref', 'contents'],
  },
  {
    type: 'extension-definition',
    category: 'meta',
    props: {
      name: str,
      description: str,
      schema: str,
      version: str,
      extension_types: listOf(oneOf(EXTENSION_TYPES)),
      extension_properties: listOf(str),
    },
    required: [
      'type',
      'spec_version',
      'id',
      'created',
      'modified',
      'created_by_ref',
      'name',
      'schema',
      'version',
      'extension_types',
    ],
    // section 7.3: "While the description property is optional this property SHOULD be populated."
    recommended: ['description'],
    rules: [
      (o, s) => {
        const types = o.extension_types;
        const props = o.extension_properties;
        const toplevel = Array.isArray(types) && types.includes('toplevel-property-extension');
        // section 7.3.1: with toplevel-property-extension, extension_properties SHOULD name the properties.
        if (toplevel && props === undefined) {
          s.warn(
            'extension_properties',
            'should-be-present',
            'extension_properties: should list the properties a toplevel-property-extension adds',
          );
        }
        if (props !== undefined && !toplevel) {
          s.error(
            'extension_properties',
            'co-constraint',
            'extension_properties: only allowed with a toplevel-property-extension in extension_types; remove it',
          );
        }
        if (Array.isArray(props)) {
          props.forEach((name, i) => {
            if (typeof name === 'string' && !isPropertyName(name)) {
              s.error(
                `extension_properties[${i}]`,
                'invalid-property-name',
                `extension_properties[${i}]: ${quote(name)} is not a valid property name`,
              );
            }
          });
        }
      },
    ],
  },
];

/** The id of a marking definition (whatever else is wrong with it), so a bundle can resolve markings to it. */
export function markingDefinitionIdOf(o: unknown): string | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  const r = o as Record<string, unknown>;
  return r.type === 'marking-definition' && typeof r.id === 'string' ? r.id : undefined;
}

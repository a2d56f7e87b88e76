import { describe, expect, it } from 'vitest';
import { acceptsTaxii, isTaxiiContentType } from './taxii-media.js';

describe('TAXII media types', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['*/*', true],
    ['application/*', true],
    ['application/taxii+json', true],
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json; version="2.1"', true],
    ['text/html, application/taxii+json;version=2.1;q=0.5', true],
    ['application/taxii+json;version=2.0', false],
    ['application/taxii+json;version=2.1;q=0', false],
    ['application/json', false],
    ['application/stix+json;version=2.1', false],
    ['text/html', false],
    ['garbage', false],
  ])('Accept %j -> %s', (accept, ok) => {
    expect(acceptsTaxii(accept)).toBe(ok);
  });

  it.each([
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json; version=2.1; charset=utf-8', true],
    ['application/taxii+json', false],
    ['application/taxii+json;version=2.0', false],
    ['application/json', false],
    [undefined, false],
  ])('Content-Type %j -> %s', (type, ok) => {
    expect(isTaxiiContentType(type)).toBe(ok);
  });
});

import { describe, expect, it } from 'vitest';
import { isJsonContentType } from '../../../backend/src/ingest/is-json-content-type.js';
import { pickDeliveryId } from '../../../backend/src/ingest/pick-delivery-id.js';

describe('isJsonContentType', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    [' application/json ;charset=UTF-8', true],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['application/jsonp', false],
    ['multipart/form-data; boundary=x', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (header, expected) => {
    expect(isJsonContentType(header)).toBe(expected);
  });
});

describe('pickDeliveryId', () => {
  it.each([
    ['X-Webhook-Id wins', 'f4c8e3a0-5a1b', 'EV1', 'f4c8e3a0-5a1b'],
    ['trimmed', '  abc  ', 'EV1', 'abc'],
    ['first of repeated headers', ['one', 'two'], 'EV1', 'one'],
    ['absent → event id', undefined, 'EV1', 'EV1'],
    ['blank → event id', '   ', 'EV1', 'EV1'],
    ['absurdly long → event id', 'x'.repeat(600), 'EV1', 'EV1'],
  ] as const)('%s', (_name, header, eventId, expected) => {
    expect(pickDeliveryId(header as string | string[] | undefined, eventId)).toBe(expected);
  });
});

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, parseSignatureHeader, signatureHeader, verifySignature } from '../../../backend/src/pagerduty/verify-signature.js';

const body = Buffer.from('{"event":{"id":"01","event_type":"pagey.ping"}}');
// Independent of the code under test: the HMAC as PagerDuty documents it.
const hmac = (secret: string, bytes: Uint8Array = body) => createHmac('sha256', secret).update(bytes).digest('hex');

describe('verifySignature', () => {
  it('computes the documented HMAC-SHA256 hex digest of the raw body', () => {
    expect(computeSignature(body, 's3cret')).toBe(hmac('s3cret'));
    expect(signatureHeader(body, ['a', 'b'])).toBe(`v1=${hmac('a')},v1=${hmac('b')}`);
  });

  it.each([
    ['one matching signature', `v1=${hmac('new')}`, ['new'], true],
    ['second of two signatures matches', `v1=${hmac('old-rotated-away')},v1=${hmac('new')}`, ['new'], true],
    ['first of two matches, spaces after comma', `v1=${hmac('new')}, v1=${hmac('other')}`, ['new'], true],
    ['header signed with the second configured secret', `v1=${hmac('next')}`, ['current', 'next'], true],
    ['secret with non-ASCII characters (keyed as UTF-8)', `v1=${hmac('clé-ü-秘密')}`, ['clé-ü-秘密'], true],
    ['upper-case hex', `v1=${hmac('new').toUpperCase()}`, ['new'], true],
    ['forged signature', `v1=${'0'.repeat(64)}`, ['new'], false],
    ['signed with another secret', `v1=${hmac('attacker')}`, ['new'], false],
    ['wrong version prefix', `v0=${hmac('new')}`, ['new'], false],
    ['no prefix', hmac('new'), ['new'], false],
    ['truncated digest', `v1=${hmac('new').slice(0, 63)}`, ['new'], false],
    ['empty header', '', ['new'], false],
    ['no secrets configured', `v1=${hmac('new')}`, [], false],
    ['garbage', 'v1=,,,=v1,zz', ['new'], false],
  ] as const)('%s → %s', (_name, header, secrets, expected) => {
    expect(verifySignature(body, header, secrets)).toBe(expected);
  });

  it('rejects a body changed by one byte', () => {
    const header = `v1=${hmac('new')}`;
    const changed = Buffer.from(body);
    changed[10] ^= 0x01;
    expect(verifySignature(changed, header, ['new'])).toBe(false);
    expect(verifySignature(body, header, ['new'])).toBe(true);
  });

  it('verifies raw bytes, including multi-byte UTF-8', () => {
    const unicode = Buffer.from('{"title":"Ünïcödé 🔥"}', 'utf8');
    expect(verifySignature(unicode, `v1=${hmac('k', unicode)}`, ['k'])).toBe(true);
  });

  it('rejects an absent or oversized header', () => {
    expect(verifySignature(body, undefined, ['new'])).toBe(false);
    expect(verifySignature(body, `v1=${hmac('new')},${'v1=x,'.repeat(2_000)}`, ['new'])).toBe(false);
  });

  it('parses only well-formed v1 values', () => {
    expect(parseSignatureHeader(`v1=${hmac('a')},v2=${hmac('b')},v1=nothex`)).toHaveLength(1);
  });
});

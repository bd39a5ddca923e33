import { brotliDecompress, gunzip, inflate, type ZlibOptions } from 'node:zlib';
import { BodyReadError } from './read-raw-body.js';

type Decoder = (buffer: Buffer, options: ZlibOptions, callback: (error: Error | null, result: Buffer) => void) => void;

const DECODERS: Record<string, Decoder> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  br: brotliDecompress as unknown as Decoder,
};

/**
 * Inflates a body sent with Content-Encoding gzip, deflate or br, refusing more than `limit` bytes of output (a small
 * compressed body can inflate to gigabytes). PagerDuty sends plain bodies; this is for proxies that compress.
 */
export function decodeBody(encoding: string, wire: Buffer, limit: number, done: (error: BodyReadError | undefined, body: Buffer) => void): void {
  const decoder = DECODERS[encoding.trim().toLowerCase()];
  if (!decoder) return done(new BodyReadError(`unsupported content encoding "${encoding}"`, 'encoding.unsupported', 415), wire);
  decoder(wire, { maxOutputLength: limit }, (error, body) => {
    if (!error) return done(undefined, body);
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return done(new BodyReadError('request entity too large', 'entity.too.large', 413), wire);
    done(new BodyReadError(`cannot decode ${encoding} body: ${error.message}`, 'encoding.invalid', 400), wire);
  });
}

import type { IncomingMessage } from 'node:http';

/** Why a body could not be read; `type` and `status` match what body-parser reports for the same case. */
export class BodyReadError extends Error {
  constructor(
    message: string,
    readonly type: 'entity.too.large' | 'request.size.invalid' | 'request.aborted' | 'stream.error' | 'encoding.unsupported' | 'encoding.invalid',
    readonly status: 413 | 415 | 400,
  ) {
    super(message);
    this.name = 'BodyReadError';
  }
}

/**
 * The raw bytes of an uncompressed request body, refused above `limit` bytes. This is the fast path of the webhook
 * route (body-parser's raw parser costs several listeners, closures and stream hops per request); compressed bodies
 * keep going through body-parser, which inflates them. On any error the rest of the request is drained before the
 * callback, as body-parser does, so the client always reads the answer.
 */
export function readRawBody(req: IncomingMessage, limit: number, done: (error: BodyReadError | undefined, body: Buffer) => void): void {
  const declared = req.headers['content-length'];
  const expected = declared === undefined ? undefined : Number(declared);
  // Too large is answered at once, not after the client has sent everything: the router closes the connection.
  if (expected !== undefined && expected > limit) return done(new BodyReadError('request entity too large', 'entity.too.large', 413), EMPTY);

  const chunks: Buffer[] = [];
  let received = 0;
  let finished = false;
  const finish = (error: BodyReadError | undefined) => {
    if (finished) return;
    finished = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    req.off('aborted', onAborted);
    if (error?.type === 'entity.too.large') return done(error, EMPTY);
    if (error) return drainThen(req, done, error);
    done(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) return finish(new BodyReadError('request entity too large', 'entity.too.large', 413));
    chunks.push(chunk);
  };
  const onEnd = () =>
    finish(expected !== undefined && expected !== received ? new BodyReadError('request size did not match content length', 'request.size.invalid', 400) : undefined);
  const onError = (error: Error) => finish(new BodyReadError(error.message, 'stream.error', 400));
  const onAborted = () => finish(new BodyReadError('request aborted', 'request.aborted', 400));
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
  req.on('aborted', onAborted);
}

/** Reads off the rest of the request, then reports the error (at once if the request is already over). */
function drainThen(req: IncomingMessage, done: (error: BodyReadError | undefined, body: Buffer) => void, error: BodyReadError): void {
  const report = () => done(error, EMPTY);
  if (req.complete || req.destroyed || req.readableEnded) return report();
  let reported = false;
  const once = () => {
    if (reported) return;
    reported = true;
    report();
  };
  req.once('end', once);
  req.once('close', once);
  req.once('error', once);
  req.resume();
}

const EMPTY = Buffer.alloc(0);

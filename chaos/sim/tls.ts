// A self-signed certificate for 127.0.0.1 that doubles as its own CA (kubeconfig certificate-authority-data).
// Generating an RSA key takes ~300 ms, so one certificate is cached per process and shared by every sim.

import selfsigned from 'selfsigned';

export interface SimTls {
  key: string;
  cert: string;
}

let cached: Promise<SimTls> | undefined;

function generate(): Promise<SimTls> {
  return new Promise((resolve, reject) => {
    selfsigned.generate(
      [{ name: 'commonName', value: 'kube-sim' }],
      {
        days: 3650,
        keySize: 2048,
        algorithm: 'sha256',
        extensions: [
          { name: 'basicConstraints', cA: true },
          { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
          { name: 'extKeyUsage', serverAuth: true },
          {
            name: 'subjectAltName',
            altNames: [
              { type: 7, ip: '127.0.0.1' },
              { type: 2, value: 'localhost' },
            ],
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve({ key: result.private, cert: result.cert })),
    );
  });
}

/** The process-wide certificate (generated on first use). */
export function getSimTls(): Promise<SimTls> {
  cached ??= generate().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

// The program model's data: what each common official image contains (executables on $PATH, its shell), what it
// runs by default (ENTRYPOINT/CMD as in the image config), what that default program serves, and how much memory
// it uses idle. Add an image by adding an entry here (see chaos/sim/README.md, "Adding an image").

/** A port a running program listens on. `http` lists the paths answered 200 (`*` = every path); absent = plain TCP. */
export interface Listener {
  port: number;
  http?: { okPaths: string[] };
}

export interface ImageProgram {
  /** Normalised repository ("docker.io/library/nginx"); aliases name the same program. */
  repositories: string[];
  /** The shell behind /bin/sh: busybox ash, Debian dash, or none (distroless-style images). */
  shell: 'ash' | 'dash' | 'none';
  /** True when bash is installed too. */
  bash: boolean;
  /** Executable names on $PATH besides the shell builtins and the coreutils of `shell`. */
  executables: string[];
  entrypoint: string[];
  cmd: string[];
  /** What the image's own server program listens on when it runs (keyed by executable name). */
  servers?: Record<string, Listener[]>;
  /** Environment the default program needs, with the message and exit code it fails with otherwise. */
  requiredEnv?: { anyOf: string[]; message: string[]; exitCode: number };
  idleMemoryMi: number;
  idleCpuMilli: number;
}

/** Programs every busybox/alpine image has (busybox applets). */
export const BUSYBOX_APPLETS = [
  'sh', 'ash', 'echo', 'printf', 'sleep', 'cat', 'ls', 'env', 'test', '[', 'true', 'false', 'tail', 'head', 'dd', 'date',
  'wget', 'nc', 'ping', 'nslookup', 'grep', 'sed', 'awk', 'cp', 'mv', 'rm', 'mkdir', 'touch', 'chmod', 'chown', 'id', 'hostname',
  'ps', 'kill', 'top', 'df', 'du', 'find', 'xargs', 'tr', 'cut', 'sort', 'uniq', 'wc', 'tee', 'yes', 'seq', 'vi', 'tar', 'gzip',
  'gunzip', 'md5sum', 'sha256sum', 'base64', 'which', 'whoami', 'uname', 'nohup', 'timeout', 'watch', 'httpd', 'telnet', 'ip',
  'ifconfig', 'route', 'free', 'stat', 'readlink', 'basename', 'dirname', 'expr', 'mount', 'umount', 'ln', 'pwd', 'stress',
];

/** The coreutils and friends of a Debian-based image (no curl, wget, ps, ping or nc unless listed). */
export const DEBIAN_BASE = [
  'sh', 'dash', 'echo', 'printf', 'sleep', 'cat', 'ls', 'env', 'test', '[', 'true', 'false', 'tail', 'head', 'dd', 'date',
  'grep', 'sed', 'awk', 'cp', 'mv', 'rm', 'mkdir', 'touch', 'chmod', 'chown', 'id', 'hostname', 'kill', 'df', 'du', 'find',
  'xargs', 'tr', 'cut', 'sort', 'uniq', 'wc', 'tee', 'yes', 'seq', 'tar', 'gzip', 'gunzip', 'md5sum', 'sha256sum', 'base64',
  'which', 'whoami', 'uname', 'nohup', 'timeout', 'stat', 'readlink', 'basename', 'dirname', 'expr', 'mount', 'umount', 'ln',
  'pwd', 'apt-get', 'dpkg', 'bash',
];

const NGINX_HTTP: Listener[] = [{ port: 80, http: { okPaths: ['/', '/index.html', '/50x.html'] } }];

export const IMAGE_PROGRAMS: ImageProgram[] = [
  {
    repositories: ['docker.io/library/nginx'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'nginx', 'curl', 'perl', '/docker-entrypoint.sh'],
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    servers: { nginx: NGINX_HTTP },
    idleMemoryMi: 4,
    idleCpuMilli: 1,
  },
  {
    repositories: ['docker.io/nginxinc/nginx-unprivileged', 'docker.io/bitnami/nginx'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'nginx', 'curl', '/docker-entrypoint.sh'],
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    servers: { nginx: [{ port: 8080, http: { okPaths: ['/', '/index.html', '/50x.html'] } }] },
    idleMemoryMi: 4,
    idleCpuMilli: 1,
  },
  {
    repositories: ['docker.io/library/httpd'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'httpd', 'httpd-foreground', 'apachectl'],
    entrypoint: [],
    cmd: ['httpd-foreground'],
    servers: { 'httpd-foreground': [{ port: 80, http: { okPaths: ['/', '/index.html'] } }], httpd: [{ port: 80, http: { okPaths: ['/', '/index.html'] } }] },
    idleMemoryMi: 6,
    idleCpuMilli: 1,
  },
  { repositories: ['docker.io/library/busybox'], shell: 'ash', bash: false, executables: BUSYBOX_APPLETS, entrypoint: [], cmd: ['sh'], idleMemoryMi: 1, idleCpuMilli: 0 },
  {
    repositories: ['docker.io/library/alpine'],
    shell: 'ash',
    bash: false,
    executables: [...BUSYBOX_APPLETS.filter((e) => e !== 'stress' && e !== 'httpd'), 'apk'],
    entrypoint: [],
    cmd: ['/bin/sh'],
    idleMemoryMi: 1,
    idleCpuMilli: 0,
  },
  { repositories: ['docker.io/library/ubuntu'], shell: 'dash', bash: true, executables: [...DEBIAN_BASE, 'apt'], entrypoint: [], cmd: ['/bin/bash'], idleMemoryMi: 1, idleCpuMilli: 0 },
  { repositories: ['docker.io/library/debian'], shell: 'dash', bash: true, executables: DEBIAN_BASE, entrypoint: [], cmd: ['bash'], idleMemoryMi: 1, idleCpuMilli: 0 },
  {
    repositories: ['docker.io/library/python'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'python', 'python3', 'pip', 'pip3'],
    entrypoint: [],
    cmd: ['python3'],
    idleMemoryMi: 9,
    idleCpuMilli: 1,
  },
  {
    repositories: ['docker.io/library/node'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'node', 'npm', 'npx', 'yarn', 'curl', 'wget', 'python3', 'docker-entrypoint.sh'],
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['node'],
    idleMemoryMi: 40,
    idleCpuMilli: 1,
  },
  {
    repositories: ['docker.io/library/golang'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'go', 'gofmt', 'curl', 'wget', 'git', 'make', 'gcc'],
    entrypoint: [],
    cmd: ['bash'],
    idleMemoryMi: 1,
    idleCpuMilli: 0,
  },
  {
    repositories: ['docker.io/library/redis'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'redis-server', 'redis-cli', 'redis-sentinel', 'docker-entrypoint.sh'],
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['redis-server'],
    servers: { 'redis-server': [{ port: 6379 }] },
    idleMemoryMi: 3,
    idleCpuMilli: 2,
  },
  {
    repositories: ['docker.io/library/postgres'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'postgres', 'psql', 'pg_isready', 'pg_dump', 'initdb', 'docker-entrypoint.sh'],
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    servers: { postgres: [{ port: 5432 }] },
    requiredEnv: {
      anyOf: ['POSTGRES_PASSWORD', 'POSTGRES_HOST_AUTH_METHOD'],
      message: [
        'Error: Database is uninitialized and superuser password is not specified.',
        '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
        '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
      ],
      exitCode: 1,
    },
    idleMemoryMi: 30,
    idleCpuMilli: 3,
  },
  {
    repositories: ['docker.io/library/mysql', 'docker.io/library/mariadb'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'mysqld', 'mysql', 'mysqladmin', 'mariadbd', 'mariadb', 'docker-entrypoint.sh'],
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['mysqld'],
    servers: { mysqld: [{ port: 3306 }], mariadbd: [{ port: 3306 }] },
    requiredEnv: {
      anyOf: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MARIADB_RANDOM_ROOT_PASSWORD'],
      message: [
        '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
        '    You need to specify one of the following as an environment variable:',
        '    - MYSQL_ROOT_PASSWORD',
        '    - MYSQL_ALLOW_EMPTY_PASSWORD',
        '    - MYSQL_RANDOM_ROOT_PASSWORD',
      ],
      exitCode: 1,
    },
    idleMemoryMi: 350,
    idleCpuMilli: 5,
  },
  {
    repositories: ['docker.io/library/memcached'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'memcached', 'docker-entrypoint.sh'],
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['memcached'],
    servers: { memcached: [{ port: 11211 }] },
    idleMemoryMi: 2,
    idleCpuMilli: 1,
  },
  {
    repositories: ['docker.io/library/mongo'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'mongod', 'mongosh', 'docker-entrypoint.sh'],
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['mongod'],
    servers: { mongod: [{ port: 27017 }] },
    idleMemoryMi: 80,
    idleCpuMilli: 5,
  },
  {
    repositories: ['docker.io/library/rabbitmq'],
    shell: 'dash',
    bash: true,
    executables: [...DEBIAN_BASE, 'rabbitmq-server', 'rabbitmqctl', 'docker-entrypoint.sh'],
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['rabbitmq-server'],
    servers: { 'rabbitmq-server': [{ port: 5672 }, { port: 15692, http: { okPaths: ['/metrics'] } }] },
    idleMemoryMi: 100,
    idleCpuMilli: 5,
  },
  {
    repositories: ['docker.io/curlimages/curl'],
    shell: 'ash',
    bash: false,
    executables: [...BUSYBOX_APPLETS.filter((e) => e !== 'stress' && e !== 'httpd'), 'curl'],
    entrypoint: ['/entrypoint.sh'],
    cmd: ['curl'],
    idleMemoryMi: 1,
    idleCpuMilli: 0,
  },
  {
    repositories: ['docker.io/polinux/stress'],
    shell: 'ash',
    bash: false,
    executables: [...BUSYBOX_APPLETS, 'stress'],
    entrypoint: [],
    cmd: ['stress'],
    idleMemoryMi: 1,
    idleCpuMilli: 0,
  },
  {
    repositories: ['docker.io/hashicorp/http-echo'],
    shell: 'none',
    bash: false,
    executables: ['/http-echo'],
    entrypoint: ['/http-echo'],
    cmd: [],
    servers: { '/http-echo': [{ port: 5678, http: { okPaths: ['*'] } }] },
    idleMemoryMi: 2,
    idleCpuMilli: 0,
  },
  {
    repositories: ['registry.k8s.io/echoserver', 'k8s.gcr.io/echoserver', 'gcr.io/google-samples/hello-app', 'us-docker.pkg.dev/google-samples/containers/gke/hello-app'],
    shell: 'ash',
    bash: false,
    executables: [...BUSYBOX_APPLETS, '/usr/local/bin/run.sh', 'hello-app'],
    entrypoint: [],
    cmd: ['/usr/local/bin/run.sh'],
    servers: { '/usr/local/bin/run.sh': [{ port: 8080, http: { okPaths: ['*'] } }], 'hello-app': [{ port: 8080, http: { okPaths: ['*'] } }] },
    idleMemoryMi: 3,
    idleCpuMilli: 0,
  },
  {
    repositories: ['registry.k8s.io/pause'],
    shell: 'none',
    bash: false,
    executables: ['/pause'],
    entrypoint: ['/pause'],
    cmd: [],
    servers: { '/pause': [] },
    idleMemoryMi: 0.3,
    idleCpuMilli: 0,
  },
];

const BY_REPOSITORY = new Map<string, ImageProgram>();
for (const p of IMAGE_PROGRAMS) for (const r of p.repositories) BY_REPOSITORY.set(r, p);

/** The program model of a normalised repository ("docker.io/library/nginx"), or undefined for images we do not model. */
export function findImageProgram(hostAndRepository: string): ImageProgram | undefined {
  return BY_REPOSITORY.get(hostAndRepository);
}

/** Every modelled repository (they all pull, in addition to the catalog's own list). */
export function modelledRepositories(): string[] {
  return [...BY_REPOSITORY.keys()];
}

import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';

interface SimCommandOptions {
  port?: number;
  kubeconfig?: string;
  nodes: number;
  speed: number;
  seed: boolean;
}

function positiveNumber(label: string, integer: boolean) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`${label} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
    }
    return n;
  };
}

/** `oncall-agent sim`: runs kube-sim on 127.0.0.1 until SIGINT/SIGTERM. */
export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('Run kube-sim, a simulated Kubernetes cluster for kubectl and client-node, on 127.0.0.1.')
    .addOption(new Option('--port <n>', 'port to listen on (default: a free port)').argParser(positiveNumber('--port', true)))
    .addOption(new Option('--kubeconfig <path>', 'where to write the kubeconfig (default: STATE_DIR/kube-sim/kubeconfig, the same as serve --sim)'))
    .addOption(new Option('--nodes <n>', 'number of simulated nodes').argParser(positiveNumber('--nodes', true)).default(3))
    .addOption(new Option('--speed <x>', 'simulated time speed-up (back-off, probes, pulls)').argParser(positiveNumber('--speed', false)).default(10))
    .option('--no-seed', 'start without the healthy demo workloads in namespace demo')
    .action(async (options: SimCommandOptions) => {
      const { startSim } = await import('../../../chaos/sim/index.js');
      const { loadConfig } = await import('../config/load-config.js');
      const { simKubeconfigPath } = await import('../lifecycle/embedded-sim.js');
      const kubeconfigPath = resolve(options.kubeconfig ?? simKubeconfigPath(loadConfig().STATE_DIR));
      const sim = await startSim({ port: options.port, kubeconfigPath, nodes: options.nodes, speed: options.speed });
      if (options.seed) {
        const { seedDemoWorkloads, DEMO_NAMESPACE } = await import('../../../chaos/sim/seed-demo-workloads.js');
        process.stdout.write(`demo workloads (healthy, namespace ${DEMO_NAMESPACE}): ${seedDemoWorkloads(sim.store).join(', ')}\n`);
      }
      process.stdout.write(`kube-sim listening on ${sim.url}\nkubeconfig: ${kubeconfigPath}\n`);
      process.stdout.write(`try: kubectl --kubeconfig ${kubeconfigPath} get nodes\n`);
      process.stdout.write(`point a daemon at it: KUBECONFIG=${kubeconfigPath} oncall-agent serve (the cluster lives in this process's memory: it ends with it)\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void sim.stop().finally(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

import { describe, expect, it } from 'vitest';
import { cordonCommand, restartCommand, rollbackCommand, rollbackInput, scaleCommand, scaleInput, updateResourcesCommand, updateResourcesInput } from '../../../backend/src/mcp/action-commands.js';
import { assessCommand } from '../../../backend/src/risk/index.js';

describe('bounded action commands', () => {
  it('each input becomes exactly one kubectl command with its postconditions', () => {
    expect(scaleCommand({ namespace: 'shop', name: 'web', replicas: 3 })).toMatchObject({
      command: 'kubectl scale deployment/web --replicas=3 -n shop',
      postconditions: [{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }, { type: 'replicasAtLeast', namespace: 'shop', deployment: 'web', n: 3 }],
    });
    expect(scaleCommand({ namespace: 'shop', name: 'web', replicas: 0 }).postconditions).toEqual([{ type: 'rolloutComplete', namespace: 'shop', deployment: 'web' }]);
    expect(restartCommand({ namespace: 'shop', name: 'web' }).command).toBe('kubectl rollout restart deployment/web -n shop');
    expect(updateResourcesCommand({ namespace: 'shop', name: 'web', container: 'app', memoryLimit: '1Gi', cpuLimit: '500m', memoryRequest: '512Mi' }).command).toBe(
      'kubectl set resources deployment/web -c app --limits=cpu=500m,memory=1Gi --requests=memory=512Mi -n shop',
    );
    expect(rollbackCommand({ namespace: 'shop', name: 'web', toRevision: 4 }).command).toBe('kubectl rollout undo deployment/web --to-revision=4 -n shop');
    expect(rollbackCommand({ namespace: 'shop', name: 'web' }).command).toBe('kubectl rollout undo deployment/web -n shop');
    expect(cordonCommand({ name: 'node-1' }, true)).toMatchObject({ command: 'kubectl cordon node-1', postconditions: [{ type: 'nodeCordoned', node: 'node-1' }] });
    expect(cordonCommand({ name: 'node-1' }, false)).toMatchObject({ command: 'kubectl uncordon node-1', postconditions: [{ type: 'nodeSchedulable', node: 'node-1' }] });
  });

  it('every command parses and scores as the write it is (never forbidden, never read-only)', () => {
    const commands = [
      scaleCommand({ namespace: 'shop', name: 'web', replicas: 3 }).command,
      restartCommand({ namespace: 'shop', name: 'web' }).command,
      updateResourcesCommand({ namespace: 'shop', name: 'web', memoryLimit: '1Gi' }).command,
      rollbackCommand({ namespace: 'shop', name: 'web', toRevision: 2 }).command,
      cordonCommand({ name: 'node-1' }, true).command,
      cordonCommand({ name: 'node-1' }, false).command,
    ];
    for (const command of commands) {
      const assessment = assessCommand(command, { protectedNamespaces: [], denyList: [] });
      expect(assessment.level, command).not.toBe('forbidden');
      expect(assessment.readOnly, command).toBe(false);
    }
  });

  it.each([
    [scaleInput, { namespace: 'shop', name: 'web', replicas: 1001 }],
    [scaleInput, { namespace: 'shop', name: 'web', replicas: 2, extra: '--all' }],
    [scaleInput, { namespace: '-n', name: 'web', replicas: 2 }],
    [scaleInput, { namespace: 'shop', name: 'web --all', replicas: 2 }],
    [updateResourcesInput, { namespace: 'shop', name: 'web', memoryLimit: '0' }],
    [updateResourcesInput, { namespace: 'shop', name: 'web', memoryLimit: '-1Gi' }],
    [updateResourcesInput, { namespace: 'shop', name: 'web', memoryLimit: '1e9' }],
    [updateResourcesInput, { namespace: 'shop', name: 'web', cpuLimit: '0' }],
    [updateResourcesInput, { namespace: 'shop', name: 'web', cpuLimit: '1,memory=1' }],
    [updateResourcesInput, { namespace: 'shop', name: 'web', container: 'App', cpuLimit: '1' }],
    [rollbackInput, { namespace: 'shop', name: 'web', toRevision: 0 }],
  ])('refuses odd input %#', (schema, input) => {
    expect(schema.safeParse(input).success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
describe('crashlabCommand (a printed next step works in the same shell)', () => {
  it('repeats the connection flags this run was given', async () => {
    const { crashlabCommand } = await import('../../../src/cli/io.js');
    expect(crashlabCommand({}, 'verify oom')).toBe('crashlab verify oom');
    expect(crashlabCommand({ kubeconfig: 'team 2.kubeconfig' }, 'verify oom')).toBe("crashlab --kubeconfig 'team 2.kubeconfig' verify oom");
    expect(crashlabCommand({ context: 'crashlab-local', yes: true, kubeconfig: '/k/admin' }, 'gameday end room1')).toBe('crashlab --kubeconfig /k/admin --context crashlab-local --yes gameday end room1');
  });
});

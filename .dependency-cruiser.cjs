/**
 * crashlab's layers, checked by `make test` (npm run deps). Type-only imports count too: a
 * layer that names another layer's types depends on it.
 *
 *   core      pure rules                       → core
 *   ports     interfaces and their errors      → core, ports
 *   adapters  execa, files                     → core, ports, adapters
 *   engine    the lab action API               → core, ports, engine
 *   app       the composition root             → everything but the clients (cli, tui)
 *   cli, tui  the clients                      → core, ports, engine, app, and their own files
 *   cli/commands/gameday*  the game-day commands → app and the CLI's own files (types aside)
 *   src/main.ts  the program: the CLI, which opens the lab UI
 */
const layer = (name) => `^src/${name}/`;
const outside = (...allowed) => `^src/(?!(${allowed.join('|')})/)`;

module.exports = {
  forbidden: [
    { name: 'core-is-pure', comment: 'src/core imports only src/core', severity: 'error', from: { path: layer('core') }, to: { path: outside('core') } },
    { name: 'ports-on-core', comment: 'src/ports imports only src/core and src/ports', severity: 'error', from: { path: layer('ports') }, to: { path: outside('core', 'ports') } },
    {
      name: 'adapters-on-ports',
      comment: 'src/adapters imports only src/core, src/ports and other adapters',
      severity: 'error',
      from: { path: layer('adapters') },
      to: { path: outside('core', 'ports', 'adapters') },
    },
    {
      name: 'engine-on-ports',
      comment: 'src/engine imports only src/core, src/ports and src/engine: never an adapter, the composition root or a client',
      severity: 'error',
      from: { path: layer('engine') },
      to: { path: outside('core', 'ports', 'engine') },
    },
    { name: 'app-not-clients', comment: 'the composition root serves the clients; it never imports them', severity: 'error', from: { path: layer('app') }, to: { path: outside('core', 'ports', 'adapters', 'engine', 'app') } },
    { name: 'cli-thin', comment: 'the CLI reaches adapters only through the composition root', severity: 'error', from: { path: layer('cli') }, to: { path: outside('core', 'ports', 'engine', 'app', 'cli') } },
    {
      name: 'gameday-cli-thin',
      comment: 'the game-day commands parse, call the game-day API through src/app and print: every rule lives in the engine (types aside)',
      severity: 'error',
      from: { path: '^src/cli/commands/gameday' },
      to: { path: '^src/(core|ports|engine|adapters)/', dependencyTypesNot: ['type-only'] },
    },
    { name: 'tui-thin', comment: 'the lab UI reaches adapters only through the composition root', severity: 'error', from: { path: layer('tui') }, to: { path: outside('core', 'ports', 'engine', 'app', 'tui') } },
    { name: 'no-execa-outside-adapters', comment: 'child processes are the adapters’ business', severity: 'error', from: { path: '^src/', pathNot: layer('adapters') }, to: { path: 'node_modules/execa/' } },
    { name: 'no-fakes-in-src', comment: 'src ships; test doubles live in test/', severity: 'error', from: { path: '^src/' }, to: { path: '^test/' } },
    { name: 'no-circular', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.d.ts'] },
    exclude: { path: '^dist/' },
  },
};

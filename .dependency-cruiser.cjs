// dependency-cruiser 17: the architecture as a test. `npm run lint` runs these rules through
// scripts/check-deps.ts, which also checks for cycles between the top-level folders of src/
// (something a module-level rule cannot express). The rules cover src/ and commands/; bench/,
// scripts/ and test/ are cruised too, for the rules that name them.

/** A package's files under node_modules, whatever the package manager's layout. */
const pkg = (names) => `(^|/)node_modules/(${names})/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle of files: split out what both sides need, or invert one import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A file in src/ or commands/ that nothing imports and that imports nothing is dead code.',
      from: { orphan: true, path: '^(src|commands)/', pathNot: '\\.d\\.ts$' },
      to: {},
    },
    {
      name: 'core-names-no-feature',
      severity: 'error',
      comment: 'The engine and the adapters know conversations, not features: features register themselves (commands/index.ts).',
      from: { path: '^src/(engine|adapters)/' },
      to: { path: '^(src/features|commands)/' },
    },
    {
      name: 'no-feature-to-feature',
      severity: 'error',
      comment: 'A feature does not reach into another: what two features share goes to a library folder (src/cards, src/text...).',
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/', pathNot: '^src/features/$1/' },
    },
    {
      name: 'app-code-not-test-or-bench',
      severity: 'error',
      comment: 'src/ and commands/ run in production: they never import test/ or bench/.',
      from: { path: '^(src|commands)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'bench-only-test-support',
      severity: 'error',
      comment: 'The bench may use the loopback fakes in test/support/, nothing else of test/.',
      from: { path: '^bench/' },
      to: { path: '^test/', pathNot: '^test/support/' },
    },
    {
      name: 'no-test-file-imports',
      severity: 'error',
      comment: 'A test file is imported by nobody: shared helpers go to test/support/ or a helper module beside the tests.',
      from: {},
      to: { path: '\\.test\\.ts$' },
    },
    {
      name: 'discord-only-in-discord-adapter',
      severity: 'error',
      comment: 'discord.js is known by src/adapters/discord/ only.',
      from: { path: '^(src|commands)/', pathNot: '^src/adapters/discord/' },
      to: { path: pkg('discord\\.js|@discordjs/[^/]+') },
    },
    {
      name: 'slack-only-in-slack-adapter',
      severity: 'error',
      comment: 'Bolt and the Slack SDKs are known by src/adapters/slack/ only.',
      from: { path: '^(src|commands)/', pathNot: '^src/adapters/slack/' },
      to: { path: pkg('@slack/[^/]+') },
    },
    {
      name: 'model-apis-only-in-model',
      severity: 'error',
      comment: 'openai and node-llama-cpp are known by src/model/ only (scripts and the bench may use node-llama-cpp directly).',
      from: { path: '^(src|commands)/', pathNot: '^src/model/' },
      to: { path: pkg('openai|node-llama-cpp') },
    },
    {
      name: 'util-is-a-leaf',
      severity: 'error',
      comment: 'src/util/ (lock, deadline, log...) imports nothing else of the application.',
      from: { path: '^src/util/' },
      to: { path: '^(src|commands)/', pathNot: '^src/util/' },
    },
    {
      name: 'memory-below-the-engine',
      severity: 'error',
      comment: 'Stores and coordination sit below the engine: the types they share live in src/memory/.',
      from: { path: '^src/memory/' },
      to: { path: '^(src/(engine|features|adapters)|commands)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|data|exports|models|test/fixtures)/' },
    // Type-only imports count: a type is a dependency of the design too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};

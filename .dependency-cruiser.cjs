/**
 * The allowed arrows between the folders of src/, written down once. Folders are layers, lowest
 * first: a folder may import its own files and those of folders below it, never above. The table
 * in docs/architecture.md is generated from `layers` (a test keeps them equal), and
 * test/unit/architecture.test.ts runs this check in `npm test`.
 */
const layers = [
  { folder: 'errors', holds: 'AppError and the table of codes' },
  { folder: 'config', holds: 'settings table, frozen configuration, paths' },
  {
    folder: 'jobs',
    holds:
      'the job vocabulary: record, result, findings, parts, events, public view, state table and store, Redis key names',
  },
  { folder: 'observability', holds: 'logger, metrics, audit trail, tracing (OpenTelemetry)' },
  { folder: 'documents', holds: 'reading PDF, DOCX and HTML in child processes within limits' },
  { folder: 'security', holds: 'authentication, authorization, tenants, rate limits, SSRF guard' },
  { folder: 'xoev', holds: 'parse, XSD validation, catalog, nachrichtenkopf, profiles, parts' },
  { folder: 'analysis', holds: 'analysers, provider chain, pseudonymiser, grounding, cache, rules' },
  { folder: 'evaluation', holds: 'labelled sets, scoring of analysers and the pseudonymiser, baseline gate' },
  {
    folder: 'usecases',
    holds:
      'checks proposing replies (completeness, appraisal), reply templates and builder, request profiles (Posteingang: deadlines, routing, letter)',
  },
  {
    folder: 'delivery',
    holds:
      'connector set, ledger, deliver worker, webhooks, intake for inbound connectors (the only folder that imports connectors/)',
  },
  { folder: 'pipeline', holds: 'intake, task planning, analyse worker, finisher, review queue, outbox relay' },
  { folder: 'api', holds: 'HTTP: routers, fast path, problem+json, the review workspace (pages, sign-in, sessions)' },
  { folder: 'main', holds: 'entry points: gateway, cli; wiring' },
];

const forbidden = layers.map((layer, i) => ({
  name: `no-upward-from-${layer.folder}`,
  comment: `src/${layer.folder} may import only ${['itself', ...layers.slice(0, i).map((l) => l.folder)].join(', ')}`,
  severity: 'error',
  from: { path: `^src/${layer.folder}/` },
  to: {
    path: `^src/(${
      layers
        .slice(i + 1)
        .map((l) => l.folder)
        .join('|') || '$^'
    })/`,
  },
}));

module.exports = {
  forbidden: [
    ...forbidden,
    { name: 'no-cycles', severity: 'error', from: { path: '^(src|connectors)/' }, to: { circular: true } },
    {
      name: 'connectors-see-only-their-contract',
      comment: 'a connector imports connectors/ and libraries, never the gateway',
      severity: 'error',
      from: { path: '^connectors/' },
      to: { path: '^src/' },
    },
    {
      name: 'only-delivery-and-main-import-connectors',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(delivery|main)/' },
      to: { path: '^connectors/' },
    },
    { name: 'no-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are arrows too: a type from a higher layer is a dependency on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
// Not a dependency-cruiser option (it refuses unknown keys): read by the architecture test.
Object.defineProperty(module.exports, 'layers', { value: layers, enumerable: false });

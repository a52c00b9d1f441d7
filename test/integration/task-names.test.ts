import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisRunner } from '../../src/analysis/analysis-runner.js';
import { RulesAnalyser } from '../../src/analysis/rules/rules.analyser.js';
import { DocumentReader } from '../../src/documents/document-reader.js';
import { DEFAULT_DOCUMENT_LIMITS } from '../../src/documents/document-limits.js';
import { createJobPreparer } from '../../src/pipeline/job-preparer.js';
import { createTaskPlanner } from '../../src/pipeline/task-planner.js';
import { loadCatalog, type XoevCatalog } from '../../src/xoev/catalog.js';

/** Issue #12: the profile's task name travels from the plan into every finding. */
describe('task names in findings', () => {
  let dir: string;
  let catalog: XoevCatalog;
  const documents = new DocumentReader(DEFAULT_DOCUMENT_LIMITS);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xoev-names-'));
    const folder = join(dir, 'xdemo', '1.0');
    cpSync('test/fixtures/xdemo/1.0', folder, { recursive: true });
    const descriptor = JSON.parse(readFileSync(join(folder, 'standard.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(
      join(folder, 'standard.json'),
      JSON.stringify({ ...descriptor, profiles: { 'demo.meldung.0001': 'profile.json' } }),
    );
    writeFileSync(
      join(folder, 'daten.schema.json'),
      JSON.stringify({ type: 'object', properties: { datum: { type: 'string', 'x-entity': 'date' } } }),
    );
    writeFileSync(
      join(folder, 'orte.schema.json'),
      JSON.stringify({ type: 'object', properties: { adresse: { type: 'string', 'x-entity': 'address' } } }),
    );
    writeFileSync(
      join(folder, 'profile.json'),
      JSON.stringify({
        messageType: 'demo.meldung.0001',
        tasks: [
          { kind: 'extract', name: 'daten', schema: 'daten.schema.json' },
          { kind: 'extract', name: 'orte', schema: 'orte.schema.json' },
        ],
      }),
    );
    catalog = await loadCatalog(dir, { documents });
  });
  afterAll(() => {
    catalog.close();
    documents.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a profile with two extract tasks two findings a consumer can tell apart', async () => {
    const xml = readFileSync('test/fixtures/xdemo/demo.meldung.0001.xml', 'utf8').replace(
      'Ein Baum ist auf die Straße gefallen.',
      'Am 12.03.2024 fiel vor der Hauptstraße 5, 12345 Musterstadt ein Baum.',
    );
    const prepared = await createJobPreparer(
      catalog,
      createTaskPlanner(catalog),
      documents,
    )({
      jobId: 'j',
      tenant: 'default',
      kind: 'message',
      xmlBase64: Buffer.from(xml).toString('base64'),
      receivedAt: new Date().toISOString(),
    });
    expect(prepared.plan.map((p) => [p.partId, p.task.kind, p.name])).toEqual([
      ['p1', 'extract', 'daten'],
      ['p1', 'extract', 'orte'],
    ]);
    const result = await new AnalysisRunner(new RulesAnalyser()).run(prepared);
    expect(result.findings.map((f) => [f.name, f.task, f.extraction?.data])).toEqual([
      ['daten', 'extract', { datum: '2024-03-12' }],
      ['orte', 'extract', { adresse: 'Hauptstraße 5, 12345 Musterstadt' }],
    ]);
  });
});

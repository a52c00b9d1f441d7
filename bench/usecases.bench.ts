/**
 * bench:usecases — the two use cases of issue #15 on labelled synthetic sets, with the rules analyser:
 * - 20 Bauanträge (XBau 0200): attachments with declared codes, without codes but telling names,
 *   with a wrong code, missing ones, and their content as PDF and DOCX generated here (some empty,
 *   one broken, one encrypted-looking), read by the gateway's document reader in child processes.
 *   Truth: which required Bauvorlagen are really missing and which attachments are unreadable.
 *   Reports recall and precision of the Befunde (goal: recall 100 %, precision ≥ 95 %).
 * - 10 Anbieteverzeichnisse (xdomea 3.0.0 and 2.4.0): every object carries the proposal an
 *   archivist wrote for it; reports agreement of the rule-based proposals.
 * Every reply is built and validated against its XSD; time per message against the plain XSD check
 * of the same message in the same run.
 *
 *   npm run bench:usecases
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentReader } from '../src/documents/document-reader.js';
import { fromRoot } from '../src/config/paths.js';
import type { MessagePart } from '../src/jobs/message.js';
import { createUseCases } from '../src/usecases/use-cases.js';
import { loadCatalog } from '../src/xoev/catalog.js';
import { anbieteverzeichnis, type OfferedObject } from '../test/support/aussonderung.js';
import { documentXml, makeDocx, makePdf } from '../test/support/documents.js';
import { fmt, median } from './support/stats.js';

/** A Bauvorlage of a synthetic application: its true kind, what is declared, its content. */
interface Vorlage {
  /** The requirement it truly satisfies (a document name of rules/bauvorlagen.json), or none. */
  truth?: string;
  bezeichnung: string;
  dateiname: string;
  declared?: string;
  content: 'pdf' | 'docx' | 'empty' | 'broken';
}

const REQUIRED: Record<string, { code: string; bezeichnung: string; file: string }> = {
  Lageplan: { code: '1803', bezeichnung: 'Lageplan 1:500', file: 'lageplan' },
  'Bauzeichnungen: Grundrisse': { code: '2001', bezeichnung: 'Grundrisse aller Geschosse', file: 'grundrisse' },
  'Bauzeichnungen: Schnitte': { code: '2002', bezeichnung: 'Schnitte A-A und B-B', file: 'schnitte' },
  'Bauzeichnungen: Ansichten': { code: '2003', bezeichnung: 'Ansichten Nord, Süd, Ost, West', file: 'ansichten' },
  Baubeschreibung: { code: '1501', bezeichnung: 'Baubeschreibung', file: 'baubeschreibung' },
  Standsicherheitsnachweis: { code: '2801', bezeichnung: 'Standsicherheitsnachweis (Statik)', file: 'statik' },
  'Nachweis der Bauvorlageberechtigung': {
    code: '0401',
    bezeichnung: 'Nachweis der Bauvorlageberechtigung (Architektin)',
    file: 'bauvorlageberechtigung',
  },
};
const NAMES = Object.keys(REQUIRED);

/** A deterministic pseudo-random sequence, so every run measures the same sets. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function application(i: number): Vorlage[] {
  const r = rng(1000 + i);
  const out: Vorlage[] = [];
  for (const name of NAMES) {
    const req = REQUIRED[name];
    if (req === undefined) continue;
    const roll = r();
    if (roll < 0.18) continue; // missing
    const declared = roll < 0.6 ? req.code : roll < 0.66 ? '1003' : undefined; // declared / wrong / none
    const content = roll > 0.95 ? 'empty' : roll > 0.93 ? 'broken' : r() < 0.5 ? 'pdf' : 'docx';
    out.push({
      truth: name,
      bezeichnung: req.bezeichnung,
      dateiname: `${req.file}.${content === 'docx' ? 'docx' : 'pdf'}`,
      ...(declared === undefined ? {} : { declared }),
      content,
    });
  }
  if (r() < 0.4)
    out.push({
      bezeichnung: 'Anschreiben an die Bauaufsicht',
      dateiname: 'anschreiben.pdf',
      declared: '1001',
      content: 'pdf',
    });
  return out;
}

function bauantragXml(i: number, vorlagen: readonly Vorlage[]): string {
  const anlagen = vorlagen
    .map(
      (v, k) => `    <anlage>
      <bezeichnung>${v.bezeichnung}</bezeichnung>${v.declared === undefined ? '' : `\n      <anlageart listURI="urn:xoev-de:xbau:codeliste:anlagen" listVersionID="3.0"><code>${v.declared}</code></anlageart>`}
      <anhangOderVerlinkung><anhang><dokumentid>urn:uuid:00000000-0000-4000-8000-${String(i * 100 + k).padStart(12, '0')}</dokumentid><dateiname>${v.dateiname}</dateiname></anhang></anhangOderVerlinkung>
    </anlage>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<xbau:baugenehmigung.antrag.0200 xmlns:xbau="http://www.xleitstelle.de/xbau/2/6" produkt="bench" produkthersteller="xoev-ai-gateway" standard="XBau-Hochbau" version="2.6" test="true">
  <nachrichtenkopf.g2g>
    <identifikation.nachricht>
      <nachrichtenUUID>5d3c1b9e-7f0a-4c51-9a61-${String(i).padStart(12, '0')}</nachrichtenUUID>
      <nachrichtentyp listURI="urn:xoev-de:xbau:codeliste:xbau-nachrichten" listVersionID="4.0"><code>0200</code></nachrichtentyp>
      <erstellungszeitpunkt>2026-11-23T09:15:00+01:00</erstellungszeitpunkt>
    </identifikation.nachricht>
    <leser><verzeichnisdienst listVersionID="1"><code>DVDV</code></verzeichnisdienst><kennung>bab:09162000</kennung><name>Untere Bauaufsichtsbehörde Musterstadt</name></leser>
    <autor><verzeichnisdienst listVersionID="1"><code>DVDV</code></verzeichnisdienst><kennung>ags:09162000-portal</kennung><name>Bauportal Musterland</name></autor>
  </nachrichtenkopf.g2g>
  <xbau:bauvorhaben><xbau:bezeichnungDesBauvorhabens>Neubau eines Wohnhauses Nr. ${i}</xbau:bezeichnungDesBauvorhabens></xbau:bauvorhaben>
  <xbau:anlagen>
${anlagen}
  </xbau:anlagen>
</xbau:baugenehmigung.antrag.0200>
`;
}

function content(v: Vorlage): { bytes: Buffer; mimeType: string } {
  const text = [`${v.bezeichnung} zum Bauantrag`, 'Maßstab, Planverfasserin, Datum und Unterschrift.'];
  if (v.content === 'docx')
    return {
      bytes: makeDocx(documentXml(text)),
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    };
  if (v.content === 'empty') return { bytes: makePdf(['']), mimeType: 'application/pdf' };
  if (v.content === 'broken')
    return { bytes: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog', 'latin1'), mimeType: 'application/pdf' };
  return { bytes: makePdf(text), mimeType: 'application/pdf' };
}

/** Offers and the code an archivist gave each object, written without running the rules. */
const OFFERS: Array<{ version: '3.0.0' | '2.4.0'; objects: Array<OfferedObject & { expected: string }> }> = [
  ['Satzung über die Benutzung der Stadtbibliothek', 'A', '00.3'],
  ['Reisekosten Fortbildung Kämmerei 2019', 'V', '11.4'],
  ['Kassenanordnungen Januar 2017', 'V', '94.1'],
  ['Chronik der Feuerwehr 1950-2000', 'A', '13.2'],
  ['Beschaffung von Büromaterial 2018', 'V', '11.7'],
  ['Denkmalschutz Alte Mühle', 'A', '63.5'],
  ['Urlaubsanträge Bauhof 2016', 'V', '11.3'],
  ['Konzept zur Schulentwicklungsplanung', 'A', '40.1'],
  ['Mahnungen Hundesteuer 2014', 'V', '95.2'],
  ['Bauakte Marktplatz 3 (1921-1938)', 'A', '63.1', '1938-12-31'],
  ['Zahlungserinnerungen Gebühren 2015', 'V', '94.3'],
  ['Straßenreinigung Südviertel 2012-2016', 'V', '66.3'],
  ['Organisationsverfügung Hauptamt', 'A', '01.1'],
  ['Rechnungen Stadtfest 2019', 'V', '94.7'],
  ['Städtepartnerschaft mit Rybnik', 'A', '10.2'],
  ['Bestellung Dienstfahrzeug', 'V', '11.8'],
  ['Richtlinie Vereinsförderung', 'A', '41.1'],
  ['Winterdienst Einsatzpläne 2015', 'V', '66.4'],
  ['Jubiläum 750 Jahre Stadtrecht', 'A', '10.1'],
  ['Fortbildungsantrag Sachbearbeiter Ordnungsamt', 'V', '11.4'],
].reduce<Array<{ version: '3.0.0' | '2.4.0'; objects: Array<OfferedObject & { expected: string }> }>>(
  (acc, [betreff, expected, aktenplan, ende], i) => {
    const offer = Math.floor(i / 2);
    const slot = acc[offer] ?? { version: offer % 2 === 0 ? '3.0.0' : '2.4.0', objects: [] };
    acc[offer] = slot;
    slot.objects.push({
      kind: 'Vorgang',
      betreff: betreff ?? '',
      aktenplan: aktenplan ?? '',
      beginn: '2010-01-01',
      ende: ende ?? '2019-12-31',
      expected: expected ?? '',
    });
    return acc;
  },
  [],
);

/** xmllint's verdict on a reply (the reference the XÖV tests compare with); undefined when xmllint is missing. */
function xmllintAccepts(xml: string, xsd: string): boolean | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'bench-reply-'));
  try {
    const file = join(dir, 'reply.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--nonet', '--noout', '--schema', fromRoot(xsd), file], { encoding: 'utf8' });
    return r.error === undefined ? r.status === 0 : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ENTRY: Record<string, string> = {
  xbau: 'xoev-schemas/xbau/2.6/xsd/gateway-entry.xsd',
  '3.0.0': 'xoev-schemas/xdomea/3.0.0/xsd/xdomea.xsd',
  '2.4.0': 'xoev-schemas/xdomea/2.4.0/xsd/gateway-entry.xsd',
};

async function main(): Promise<void> {
  let lintOk = 0;
  let linted = 0;
  const lint = (xml: string, xsd: string): void => {
    const verdict = xmllintAccepts(xml, xsd);
    if (verdict === undefined) return;
    linted++;
    if (verdict) lintOk++;
  };
  const documents = new DocumentReader(
    {
      maxChars: 200_000,
      maxPages: 50,
      maxEntries: 1000,
      maxUnpackedBytes: 64 * 1024 * 1024,
      timeoutMs: 10_000,
      maxMemoryMb: 512,
    },
    { workers: 1 },
  );
  const catalog = await loadCatalog(fromRoot('xoev-schemas'), { documents });
  const useCases = createUseCases(catalog, 'bench');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const checkMs: number[] = [];
  const useCaseMs: number[] = [];
  const readMs: number[] = [];
  let replies = 0;
  let valid = 0;
  for (let i = 1; i <= 20; i++) {
    const vorlagen = application(i);
    const xml = bauantragXml(i, vorlagen);
    const t0 = performance.now();
    catalog.check(Buffer.from(xml));
    checkMs.push(performance.now() - t0);
    const t1 = performance.now();
    const message = await catalog.inspect(Buffer.from(xml));
    const t2 = performance.now();
    // The Bauvorlagen arrive beside the message (transport): read them as the gateway reads attachments.
    const parts: MessagePart[] = [];
    for (const p of message.parts) {
      const v = vorlagen.find((x) => x.dateiname === p.fileName);
      if (p.kind !== 'attachment' || v === undefined) {
        parts.push(p);
        continue;
      }
      const { bytes, mimeType } = content(v);
      const read = await documents.read(bytes, mimeType);
      parts.push({
        ...p,
        ...(read.text === undefined ? {} : { text: read.text }),
        extraction: { status: read.status },
      });
    }
    const t3 = performance.now();
    readMs.push(t3 - t2);
    const prepared = { message: { ...message }, parts, plan: [] };
    const result = {
      ...message,
      parts,
      findings: [],
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      reviewReasons: [],
    };
    const proposal = useCases.propose(prepared, result);
    if (proposal === undefined) throw new Error('no proposal');
    const reply = useCases.reply(`bench-${i}`, { ...result, proposal });
    useCaseMs.push(t2 - t1 + (performance.now() - t3));
    replies++;
    if (reply?.xml !== undefined) {
      catalog.check(Buffer.from(reply.xml));
      valid++;
      lint(reply.xml, ENTRY.xbau ?? '');
    }
    const truth = new Set<string>();
    const readable = vorlagen.filter((v) => v.content === 'pdf' || v.content === 'docx');
    for (const name of NAMES) if (!readable.some((v) => v.truth === name)) truth.add(`missing:${name}`);
    for (const v of vorlagen)
      if (v.content === 'empty' || v.content === 'broken') truth.add(`unreadable:${v.dateiname}`);
    const predicted = new Set<string>();
    for (const item of proposal.items) {
      if (item.kind === 'missing') predicted.add(`missing:${/^Es fehlt: (.+?) \(/.exec(item.text)?.[1] ?? item.id}`);
      else if (item.kind === 'unreadable') {
        const part = parts.find((p) => p.id === item.id.slice('unreadable:'.length));
        predicted.add(`unreadable:${part?.fileName ?? item.id}`);
        // An unreadable document of a required kind is missing too, in the truth: count it once.
        const v = vorlagen.find((x) => x.dateiname === part?.fileName);
        if (v?.truth !== undefined) predicted.add(`missing:${v.truth}`);
      } else predicted.add(item.id);
    }
    for (const k of predicted)
      if (truth.has(k)) tp++;
      else fp++;
    for (const k of truth) if (!predicted.has(k)) fn++;
  }
  console.log(
    `Vollständigkeitsprüfung, 20 Bauanträge: Befunde recall ${fmt((100 * tp) / (tp + fn), 1)} % (${tp} of ${tp + fn}), precision ${fmt((100 * tp) / (tp + fp), 1)} % (${fp} wrong); replies valid ${valid} of ${replies}`,
  );
  console.log(
    `  per message: check + reply ${fmt(median(useCaseMs), 2)} ms (median), reading the attachments ${fmt(median(readMs), 1)} ms; plain XSD check ${fmt(median(checkMs), 2)} ms → ratio ${fmt(median(useCaseMs) / median(checkMs), 1)}×`,
  );

  let agree = 0;
  let total = 0;
  const appraisalMs: number[] = [];
  const baseMs: number[] = [];
  let aValid = 0;
  for (const offer of OFFERS) {
    const xml = anbieteverzeichnis(offer.objects, { version: offer.version });
    const t0 = performance.now();
    catalog.check(Buffer.from(xml));
    baseMs.push(performance.now() - t0);
    const t1 = performance.now();
    const message = await catalog.inspect(Buffer.from(xml));
    const result = {
      ...message,
      findings: [],
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      reviewReasons: [],
    };
    const proposal = useCases.propose({ message, parts: message.parts, plan: [] }, result);
    if (proposal === undefined) throw new Error('no proposal');
    const reply = useCases.reply('bench', { ...result, proposal });
    appraisalMs.push(performance.now() - t1);
    if (reply?.xml !== undefined) {
      aValid++;
      lint(reply.xml, ENTRY[offer.version] ?? '');
    }
    for (const [k, o] of offer.objects.entries()) {
      total++;
      if (proposal.items[k]?.code?.code === o.expected) agree++;
      else
        console.log(
          `  disagree: ${o.betreff} — proposed ${proposal.items[k]?.code?.code ?? '?'}, archivist ${o.expected}`,
        );
    }
  }
  console.log(
    `Bewertungsvorschlag, 10 Anbieteverzeichnisse (${total} objects): agreement with the archivist ${fmt((100 * agree) / total, 1)} % (${agree} of ${total}); replies valid ${aValid} of ${OFFERS.length}`,
  );
  console.log(
    `  per message: inspect + proposal + reply ${fmt(median(appraisalMs), 2)} ms (median); plain XSD check ${fmt(median(baseMs), 2)} ms → ratio ${fmt(median(appraisalMs) / median(baseMs), 1)}×`,
  );
  console.log(`xmllint --schema accepts ${lintOk} of ${linted} replies${linted === 0 ? ' (xmllint not found)' : ''}`);
  catalog.close();
  documents.close();
}

await main();

import { randomUUID } from 'node:crypto';

/**
 * Synthetic xdomea Anbieteverzeichnisse (Aussonderung.Anbieteverzeichnis.0501) for the appraisal use
 * case: a Behörde offers Akten, Vorgänge and Dokumente to its archive. Written here for tests and the
 * bench; the structure follows the xdomea 3.0.0 / 2.4.0 message patterns (shared/xoev-samples).
 */
export interface OfferedObject {
  kind: 'Akte' | 'Vorgang' | 'Dokument';
  id?: string;
  betreff: string;
  kennzeichen?: string;
  aktenplan?: string;
  beginn?: string;
  ende?: string;
  /** Objects inside (Vorgänge of an Akte, Dokumente of a Vorgang). */
  inner?: OfferedObject[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function objectXml(o: OfferedObject, indent: string): string {
  const id = o.id ?? randomUUID();
  const lines = [
    `${indent}<xdomea:${o.kind}>`,
    `${indent}  <xdomea:Identifikation><xdomea:ID>${id}</xdomea:ID></xdomea:Identifikation>`,
    `${indent}  <xdomea:AllgemeineMetadaten>`,
    `${indent}    <xdomea:Betreff>${esc(o.betreff)}</xdomea:Betreff>`,
    ...(o.kennzeichen === undefined
      ? []
      : [`${indent}    <xdomea:Kennzeichen>${esc(o.kennzeichen)}</xdomea:Kennzeichen>`]),
    ...(o.aktenplan === undefined || o.kind === 'Dokument'
      ? []
      : [
          `${indent}    <xdomea:Aktenplaneinheit><xdomea:Kennzeichen>${esc(o.aktenplan)}</xdomea:Kennzeichen></xdomea:Aktenplaneinheit>`,
        ]),
    `${indent}  </xdomea:AllgemeineMetadaten>`,
  ];
  if (o.kind !== 'Dokument' && (o.beginn !== undefined || o.ende !== undefined))
    lines.push(
      `${indent}  <xdomea:Laufzeit>`,
      ...(o.beginn === undefined ? [] : [`${indent}    <xdomea:Beginn>${o.beginn}</xdomea:Beginn>`]),
      ...(o.ende === undefined ? [] : [`${indent}    <xdomea:Ende>${o.ende}</xdomea:Ende>`]),
      `${indent}  </xdomea:Laufzeit>`,
    );
  const inner = o.inner ?? [];
  if (o.kind === 'Akte' && inner.length > 0) {
    lines.push(`${indent}  <xdomea:Akteninhalt>`);
    for (const i of inner) lines.push(objectXml(i, `${indent}    `));
    lines.push(`${indent}  </xdomea:Akteninhalt>`);
  }
  if (o.kind === 'Vorgang') for (const i of inner) lines.push(objectXml(i, `${indent}  `));
  lines.push(`${indent}</xdomea:${o.kind}>`);
  return lines.join('\n');
}

/** An Anbieteverzeichnis of `objects`, each a Schriftgutobjekt, in xdomea `version` (3.0.0 or 2.4.0). */
export function anbieteverzeichnis(
  objects: readonly OfferedObject[],
  options: { version?: '3.0.0' | '2.4.0'; prozessId?: string } = {},
): string {
  const version = options.version ?? '3.0.0';
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Synthetic Anbieteverzeichnis written for the xoev-ai-gateway tests (no real authority or records). -->
<xdomea:Aussonderung.Anbieteverzeichnis.0501 xmlns:xdomea="urn:xoev-de:xdomea:schema:${version}">
  <xdomea:Kopf>
    <xdomea:ProzessID>${options.prozessId ?? randomUUID()}</xdomea:ProzessID>
    <xdomea:Nachrichtentyp><code>0501</code></xdomea:Nachrichtentyp>
    <xdomea:Erstellungszeitpunkt>2026-11-30T10:00:00</xdomea:Erstellungszeitpunkt>
    <xdomea:Absender>
      <xdomea:Institution><xdomea:Name>Stadtverwaltung Musterstadt, Hauptamt</xdomea:Name></xdomea:Institution>
    </xdomea:Absender>
    <xdomea:Empfaenger>
      <xdomea:Institution><xdomea:Name>Stadtarchiv Musterstadt</xdomea:Name></xdomea:Institution>
    </xdomea:Empfaenger>
    <xdomea:SendendesSystem><xdomea:Produktname>Muster-DMS</xdomea:Produktname></xdomea:SendendesSystem>
    <xdomea:Empfangsbestaetigung>true</xdomea:Empfangsbestaetigung>
  </xdomea:Kopf>
${objects.map((o) => `  <xdomea:Schriftgutobjekt>\n${objectXml(o, '    ')}\n  </xdomea:Schriftgutobjekt>`).join('\n')}
</xdomea:Aussonderung.Anbieteverzeichnis.0501>
`;
}

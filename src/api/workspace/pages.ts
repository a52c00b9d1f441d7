import type { Finding, Label } from '../../jobs/finding.js';
import { plannedTaskOf, type JobRecord } from '../../jobs/job-record.js';
import type { ReplyMessage } from '../../jobs/reply-proposal.js';
import type { ChainedEntry } from '../../observability/audit-chain.js';
import { age, esc, reasonKey, reasonText } from './html.js';

/** One row of the queue page. */
export interface QueueRow {
  record: JobRecord;
  since: string;
}

export interface QueueView {
  rows: QueueRow[];
  next?: string;
  filters: { reason?: string; standard?: string; tenant?: string; order?: string };
  admin: boolean;
  /** Jobs waiting in all (the caller's tenant, or every tenant for admins). */
  pending: number;
}

const REASONS = ['low_confidence', 'invalid_output', 'ungrounded_evidence', 'target_schema_violation', 'proposal'];

function subject(record: JobRecord): string {
  if (record.result?.useCase !== undefined) return `Anfrage (${record.result.useCase.name})`;
  if (record.standard !== undefined) return `${record.standard} ${record.version ?? ''} · ${record.messageType ?? ''}`;
  return 'Auftrag ohne XÖV-Nachricht';
}

export function queuePage(view: QueueView): string {
  const option = (value: string, label: string, selected: string | undefined): string =>
    `<option value="${esc(value)}"${selected === value ? ' selected' : ''}>${esc(label)}</option>`;
  const counts = new Map<string, number>();
  for (const r of view.rows)
    for (const key of new Set((r.record.result?.reviewReasons ?? []).map(reasonKey)))
      counts.set(key, (counts.get(key) ?? 0) + 1);
  const rows = view.rows
    .map((r, i) => {
      const reasons = [...new Set((r.record.result?.reviewReasons ?? []).map(reasonText))].join(', ');
      return `<tr data-row="${i}">
<td><a href="/review/jobs/${esc(r.record.id)}" class="case-link">${esc(r.record.id)}</a></td>
<td>${esc(reasons)}</td>
<td>${esc(subject(r.record))}</td>
<td><time datetime="${esc(r.since)}">${esc(age(r.since))}</time></td>
${view.admin ? `<td>${esc(r.record.tenant)}</td>` : ''}
</tr>`;
    })
    .join('\n');
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(view.filters)) if (v !== undefined && v !== '') query.set(k, v);
  if (view.next !== undefined) query.set('cursor', view.next);
  return `<h1>Offene Prüfungen</h1>
<p class="count" role="status">${view.pending} Fälle warten${view.admin ? ' (alle Mandanten)' : ''}; ${view.rows.length} auf dieser Seite${
    counts.size === 0 ? '' : `: ${[...counts.entries()].map(([k, n]) => `${esc(reasonText(k))} ${n}`).join(', ')}`
  }.</p>
<form method="get" action="/review" class="filters">
<label for="f-reason">Grund</label>
<select id="f-reason" name="reason">${option('', 'alle', view.filters.reason)}${REASONS.map((r) => option(r, reasonText(r), view.filters.reason)).join('')}</select>
<label for="f-standard">Standard</label>
<select id="f-standard" name="standard">${option('', 'alle', view.filters.standard)}${['xbau', 'xdomea', 'xjustiz'].map((s) => option(s, s, view.filters.standard)).join('')}</select>
${view.admin ? `<label for="f-tenant">Mandant</label><input id="f-tenant" name="tenant" value="${esc(view.filters.tenant ?? '')}">` : ''}
<label for="f-order">Reihenfolge</label>
<select id="f-order" name="order">${option('', 'älteste zuerst', view.filters.order)}${option('newest', 'neueste zuerst', view.filters.order)}</select>
<button type="submit">Filtern</button>
</form>
${
  view.rows.length === 0
    ? '<p>Keine Fälle für diese Auswahl.</p>'
    : `<table class="queue">
<caption>${view.filters.order === 'newest' ? 'Neueste zuerst' : 'Älteste zuerst'}</caption>
<thead><tr><th scope="col">Fall</th><th scope="col">Grund</th><th scope="col">Art</th><th scope="col">Wartet seit</th>${view.admin ? '<th scope="col">Mandant</th>' : ''}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}
${view.next === undefined ? '' : `<p><a href="/review?${esc(query.toString())}" rel="next">Weitere Fälle</a></p>`}`;
}

/** A span of a part's text that evidence points to, and the finding it belongs to. */
interface Span {
  start: number;
  end: number;
  finding: number;
  quote: string;
}

function spansOf(findings: readonly Finding[], partId: string): Span[] {
  const spans: Span[] = [];
  for (const [i, f] of findings.entries()) {
    if (f.partId !== partId) continue;
    for (const v of f.extraction?.values ?? [])
      if (v.grounded && v.evidence !== null && v.evidence.start >= 0)
        spans.push({ start: v.evidence.start, end: v.evidence.end, finding: i, quote: v.evidence.quote });
    for (const s of f.summary?.sentences ?? [])
      for (const e of s.evidence)
        if (e.start >= 0) spans.push({ start: e.start, end: e.end, finding: i, quote: e.quote });
  }
  // Spans that overlap an earlier one are listed with their finding but not marked twice in the text.
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Span[] = [];
  let until = 0;
  for (const s of spans)
    if (s.start >= until && s.end > s.start) {
      kept.push(s);
      until = s.end;
    }
  return kept;
}

/** The text of a part with each evidence span a link to its finding (keyboard reachable, no script needed). */
function markedText(
  text: string,
  spans: readonly Span[],
  findings: readonly Finding[],
  ids: Map<Span, string>,
): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.end > text.length) continue;
    out += esc(text.slice(at, s.start));
    const f = findings[s.finding];
    out += `<a class="ev" id="${ids.get(s) ?? ''}" href="#f-${s.finding}" title="Fundstelle für ${esc(f?.name ?? f?.task ?? '')}">${esc(text.slice(s.start, s.end))}</a>`;
    at = s.end;
  }
  return out + esc(text.slice(at));
}

function value(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => esc(x)).join(', ');
  if (typeof v === 'object' && v !== null) return esc(JSON.stringify(v));
  return esc(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The inputs of a correction: the label set as checkboxes (searchable), the schema's fields as inputs. */
/** What a refused form held, by field name (so a person's input survives a 422); undefined on a fresh page. */
type Sent = ((name: string) => string[] | undefined) | undefined;

function correctionInputs(record: JobRecord, f: Finding, i: number, editable: boolean, sent: Sent): string {
  const task = plannedTaskOf(record, f)?.task;
  if (!editable || task === undefined) return '';
  if (task.kind === 'classify') {
    const chosen =
      sent?.(`c.${i}.shown`) === undefined
        ? new Set(f.classification?.labels.map((l) => l.code))
        : new Set(sent(`c.${i}.labels`) ?? []);
    const type = task.multi === true ? 'checkbox' : 'radio';
    const options = task.labels
      .map(
        (l: Label) =>
          `<li><label><input type="${type}" name="c.${i}.labels" value="${esc(l.code)}"${chosen.has(l.code) ? ' checked' : ''}> ${esc(l.code)} – ${esc(l.name)}</label></li>`,
      )
      .join('');
    return `<fieldset class="labels"><legend>Labels (${task.multi === true ? 'mehrere möglich' : 'eines'})</legend><input type="hidden" name="c.${i}.shown" value="1">
${task.labels.length > 12 ? `<label for="s-${i}">Liste durchsuchen</label> <input type="search" id="s-${i}" class="label-search" data-list="l-${i}">` : ''}
<ul id="l-${i}" class="label-list">${options}</ul></fieldset>`;
  }
  if (task.kind === 'extract') {
    const props = isRecord(task.schema.properties) ? task.schema.properties : {};
    const data = f.extraction?.data ?? {};
    return `<fieldset class="fields"><legend>Werte (eine Zeile je Wert bei Listen)</legend>${Object.entries(props)
      .map(([field, schema]) => {
        const s = isRecord(schema) ? schema : {};
        const current = data[field];
        const id = `c-${i}-${field}`;
        const hint = typeof s.description === 'string' ? `<span class="hint">${esc(s.description)}</span>` : '';
        if (s.type === 'array') {
          const text =
            sent?.(`c.${i}.data.${field}`)?.[0] ?? (Array.isArray(current) ? current.map(String).join('\n') : '');
          return `<label for="${esc(id)}">${esc(field)}</label>${hint}<textarea id="${esc(id)}" name="c.${i}.data.${esc(field)}" rows="2">${esc(text)}</textarea>`;
        }
        const text = sent?.(`c.${i}.data.${field}`)?.[0] ?? (current === undefined ? '' : String(current));
        // The schema's own constraints as the browser checks them before sending (the server checks again).
        // A value the typed input cannot show (`12,5` in a number, `15.03.2026` in a date) would be
        // cleared by the browser and then lost on accept: such a value gets a text input.
        const fits = (pattern: RegExp): boolean => text === '' || pattern.test(text);
        const kind =
          (s.type === 'number' || s.type === 'integer') && fits(/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i)
            ? 'number'
            : s.format === 'date' && fits(/^\d{4}-\d{2}-\d{2}$/)
              ? 'date'
              : s.format === 'email'
                ? 'email'
                : 'text';
        const rules = [
          typeof s.pattern === 'string' && s.pattern.length <= 500
            ? ` pattern="${esc(s.pattern.replace(/^\^|\$$/g, ''))}"`
            : '',
          typeof s.maxLength === 'number' ? ` maxlength="${s.maxLength}"` : '',
          typeof s.minimum === 'number' ? ` min="${s.minimum}"` : '',
          typeof s.maximum === 'number' ? ` max="${s.maximum}"` : '',
        ].join('');
        // Evidence re-pointed by selecting text (the script shows the button; without it the field is plain).
        const span = sent?.(`c.${i}.ev.${field}`)?.[0] ?? '';
        const repoint = `<input type="hidden" name="c.${i}.ev.${esc(field)}" id="${esc(id)}-ev" value="${esc(span)}"><button type="button" class="repoint" hidden data-part="${esc(f.partId)}" data-target="${esc(id)}-ev" data-status="${esc(id)}-st">Markierten Text als Beleg</button><span id="${esc(id)}-st" class="hint" aria-live="polite"></span>`;
        return `<label for="${esc(id)}">${esc(field)}</label>${hint}<input id="${esc(id)}" type="${kind}" name="c.${i}.data.${esc(field)}" value="${esc(text)}"${kind === 'number' ? ' step="any"' : ''}${rules}>${repoint}`;
      })
      .join('\n')}</fieldset>`;
  }
  return '';
}

function findingCard(
  record: JobRecord,
  f: Finding,
  i: number,
  spanIds: string[],
  editable: boolean,
  sent: Sent,
): string {
  const reasons = f.reviewReasons.map(reasonText).join(', ');
  let body = '';
  if (f.classification !== undefined)
    body += `<p>Labels: <strong>${f.classification.labels.map((l) => `${esc(l.code)} (${esc(l.name)})`).join(', ') || '–'}</strong>; Sicherheit ${esc(f.classification.confidence)}</p><p class="rationale">${esc(f.classification.rationale)}</p>`;
  if (f.extraction !== undefined)
    body += `<dl class="values">${Object.entries(f.extraction.data)
      .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${value(v)}</dd>`)
      .join('')}</dl>`;
  if (f.summary !== undefined)
    body += `<ol class="summary">${f.summary.sentences
      .map((s) => `<li>${esc(s.text)}${s.grounded ? '' : ' <strong>(nicht belegt)</strong>'}</li>`)
      .join('')}</ol>`;
  const links = spanIds.map((id, n) => `<a href="#${id}" class="to-span">Fundstelle ${n + 1}</a>`).join(' ');
  return `<article class="finding" id="f-${i}" tabindex="-1">
<h3>${esc(f.name ?? f.task)} <span class="kind">(${esc(f.task)}, Teil ${esc(f.partId)})</span></h3>
${body}
<p class="meta">${esc(f.analyser)} · ${esc(f.provider)} · Modell ${esc(f.model)} · Prompt ${esc(f.promptVersion)}${f.aiGenerated ? ' · <strong>KI-generiert</strong>' : ''}${reasons === '' ? '' : ` · Prüfgrund: ${esc(reasons)}`}</p>
${links === '' ? '' : `<p class="spans">${links}</p>`}
${correctionInputs(record, f, i, editable, sent)}
</article>`;
}

export interface CaseView {
  record: JobRecord;
  audit: readonly ChainedEntry[];
  /** The reply that would be sent if the proposal were decided as it stands. */
  replyPreview?: ReplyMessage;
  codeLabels(listURI: string): Label[];
  csrf: string;
  /** A message for the reviewer (a decision refused, made by someone else). */
  notice?: { kind: 'error' | 'info'; text: string; errors?: readonly { message: string; path?: string }[] };
  /** The refused form's fields, shown again instead of the proposal's values. */
  sent?: (name: string) => string[] | undefined;
}

function proposalEditor(view: CaseView, editable: boolean): string {
  const proposal = view.record.result?.proposal;
  if (proposal === undefined) return '';
  const rows = proposal.items
    .map((item) => {
      const id = esc(item.id);
      const listURI = item.code?.listURI;
      const canDrop = item.kind !== 'appraisal' && item.kind !== 'routing' && item.kind !== 'receipt';
      const canText = proposal.check === 'posteingang' ? item.kind === 'receipt' : true;
      const listed = listURI === undefined ? [] : view.codeLabels(listURI);
      // A code the list does not know (an older list version) stays offered: accept must not change it.
      const codes =
        item.code !== undefined && listed.length > 0 && !listed.some((l) => l.code === item.code?.code)
          ? [{ code: item.code.code, name: item.code.name ?? '(nicht in der Liste)' }, ...listed]
          : listed;
      const chosenCode = view.sent?.(`p.${item.id}.code`)?.[0] ?? item.code?.code;
      const itemText = view.sent?.(`p.${item.id}.text`)?.[0] ?? item.text;
      const dropped = view.sent === undefined ? item.dropped === true : view.sent(`p.${item.id}.drop`)?.[0] === '1';
      const code =
        editable && codes.length > 0 && item.code !== undefined
          ? `<label for="p-${id}-code">Code</label><select id="p-${id}-code" name="p.${id}.code">${codes
              .map(
                (l) =>
                  `<option value="${esc(l.code)}"${l.code === chosenCode ? ' selected' : ''}>${esc(l.code)} – ${esc(l.name)}</option>`,
              )
              .join('')}</select>`
          : item.code === undefined
            ? ''
            : `<p>Code: ${esc(item.code.code)} ${esc(item.code.name ?? '')}</p>`;
      const text =
        editable && canText
          ? `<label for="p-${id}-text">Text</label><textarea id="p-${id}-text" name="p.${id}.text" rows="${item.kind === 'receipt' ? 14 : 3}">${esc(itemText)}</textarea>`
          : `<p class="item-text">${esc(item.text)}</p>`;
      const drop =
        editable && canDrop
          ? `<label class="drop"><input type="checkbox" name="p.${id}.drop" value="1"${dropped ? ' checked' : ''}> nicht übernehmen</label>`
          : '';
      const deadline = item.deadline?.steps.length
        ? `<ul class="steps">${item.deadline.steps.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>`
        : '';
      return `<li class="item item-${esc(item.kind)}"><h4>${esc(item.kind)} <code>${id}</code>${item.aiGenerated === true ? ' <strong>KI-Entwurf</strong>' : ''}</h4>${code}${text}${deadline}${drop}<p class="source">Quelle: ${esc(item.source)}</p></li>`;
    })
    .join('\n');
  return `<section aria-labelledby="h-proposal"><h2 id="h-proposal">Vorgeschlagene Antwort (${esc(proposal.replyType)})</h2>
<dl class="facts">${Object.entries(proposal.facts)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('')}</dl>
<ol class="items">${rows}</ol></section>`;
}

export function casePage(view: CaseView): string {
  const { record } = view;
  const result = record.result;
  const editable = record.state === 'review';
  const findings = result?.findings ?? [];
  const spanIds = new Map<number, string[]>();
  const parts = (result?.parts ?? [])
    .map((p) => {
      if (p.text === undefined || p.text === '') return '';
      const spans = spansOf(findings, p.id);
      const ids = new Map<Span, string>();
      spans.forEach((s, n) => {
        const id = `ev-${p.id}-${n}`;
        ids.set(s, id);
        spanIds.set(s.finding, [...(spanIds.get(s.finding) ?? []), id]);
      });
      const label = p.kind === 'attachment' ? `Anlage ${p.fileName ?? p.id}` : `Teil ${p.id}`;
      return `<section class="part" aria-labelledby="h-${esc(p.id)}"><h3 id="h-${esc(p.id)}">${esc(label)} <span class="kind">${esc(p.path)}</span></h3>
<pre class="source" tabindex="0" data-part="${esc(p.id)}">
${markedText(p.text, spans, findings, ids)}</pre></section>`;
    })
    .join('\n');
  const header = result?.header;
  const kopf =
    header === undefined
      ? ''
      : `<dl class="kopf"><dt>Absender</dt><dd>${esc(header.author?.name ?? '')} ${esc(header.author?.behoerdenkennung ?? '')}</dd><dt>Empfänger</dt><dd>${esc(header.reader?.name ?? '')} ${esc(header.reader?.behoerdenkennung ?? '')}</dd><dt>Nachrichtentyp</dt><dd>${esc(record.messageType ?? '')}</dd><dt>Nachrichten-ID</dt><dd>${esc(header.messageId)}</dd></dl>`;
  const notice =
    view.notice === undefined
      ? ''
      : `<div class="notice ${view.notice.kind}" role="${view.notice.kind === 'error' ? 'alert' : 'status'}"><p>${esc(view.notice.text)}</p>${
          view.notice.errors === undefined || view.notice.errors.length === 0
            ? ''
            : `<ul>${view.notice.errors.map((e) => `<li>${esc(e.message)}${e.path ? ` (${esc(e.path)})` : ''}</li>`).join('')}</ul>`
        }</div>`;
  const decided = result !== undefined && 'review' in result ? Reflect.get(result, 'review') : undefined;
  const state = editable
    ? `<p>Wartet auf Ihre Entscheidung. Gründe: ${esc([...new Set((result?.reviewReasons ?? []).map(reasonText))].join(', '))}</p>`
    : `<p role="status">Status: <strong>${esc(record.state)}</strong>${
        typeof decided === 'object' && decided !== null
          ? ` – entschieden (${esc(Reflect.get(decided, 'decision'))}) von ${esc(Reflect.get(decided, 'reviewer'))} am ${esc(Reflect.get(decided, 'decidedAt'))}`
          : ''
      }</p>`;
  const reply =
    view.replyPreview === undefined
      ? ''
      : `<section aria-labelledby="h-reply"><h2 id="h-reply">So wird die Antwort gesendet</h2><pre class="reply" tabindex="0">${esc(view.replyPreview.text ?? view.replyPreview.xml ?? '')}</pre></section>`;
  const audit = `<section aria-labelledby="h-audit"><h2 id="h-audit">Protokoll</h2><ol class="audit">${view.audit
    .map(
      (e) =>
        `<li><time datetime="${esc(e.entry.at)}">${esc(e.entry.at)}</time> ${esc(e.entry.type)} – ${esc(e.entry.actor.kind)} ${esc(e.entry.actor.id)}</li>`,
    )
    .join('')}</ol></section>`;
  const decide = editable
    ? `<section aria-labelledby="h-decide" class="decide"><h2 id="h-decide">Entscheiden</h2>
<p><button type="submit" name="decision" value="save" id="accept" accesskey="s">Übernehmen (mit Ihren Änderungen)</button>
${view.record.result?.proposal === undefined ? '' : '<button type="submit" name="decision" value="preview" id="preview" formnovalidate>Antwort mit Änderungen ansehen</button>'}</p>
<label for="reason">Begründung einer Ablehnung</label>
<textarea id="reason" name="reason" rows="2">${esc(view.sent?.('reason')?.[0] ?? '')}</textarea>
<p><button type="submit" name="decision" value="reject" id="reject" formnovalidate>Ablehnen</button></p>
</section>`
    : '';
  const form = (inner: string): string =>
    editable
      ? `<form method="post" action="/review/jobs/${esc(record.id)}/decision" id="decision-form"><input type="hidden" name="_csrf" value="${esc(view.csrf)}">${inner}</form>`
      : inner;
  return `<p><a href="/review">← Zur Liste</a></p>
<h1>Fall ${esc(record.id)}</h1>
${notice}
${state}
<p>${esc(subject(record))} · eingegangen ${esc(record.createdAt)}</p>
${kopf}
${form(`<div class="case">
<section class="sources" aria-labelledby="h-sources"><h2 id="h-sources">Text</h2>${parts || '<p>Kein Text.</p>'}</section>
<section class="findings" aria-labelledby="h-findings"><h2 id="h-findings">Ergebnisse</h2>${findings
  .map((f, i) => findingCard(record, f, i, spanIds.get(i) ?? [], editable, view.sent))
  .join('\n')}</section>
</div>
${proposalEditor(view, editable)}
${decide}`)}
${reply}
${audit}`;
}

export function shortcutsPage(): string {
  return `<h1>Tastenkürzel</h1>
<p>Die Kürzel wirken, solange kein Eingabefeld den Fokus hat. Alles geht auch mit Tab und Eingabe.</p>
<table><thead><tr><th scope="col">Taste</th><th scope="col">Wirkung</th></tr></thead><tbody>
<tr><td><kbd>j</kbd> / <kbd>k</kbd></td><td>Liste: nächster / vorheriger Fall</td></tr>
<tr><td><kbd>o</kbd></td><td>Liste: markierten Fall öffnen</td></tr>
<tr><td><kbd>n</kbd> / <kbd>p</kbd></td><td>Fall: nächstes / vorheriges Ergebnis</td></tr>
<tr><td><kbd>e</kbd></td><td>Fall: erstes Eingabefeld des Ergebnisses bearbeiten</td></tr>
<tr><td><kbd>v</kbd></td><td>Fall: erstes Feld der vorgeschlagenen Antwort</td></tr>
<tr><td><kbd>a</kbd></td><td>Fall: zur Schaltfläche „Übernehmen“</td></tr>
<tr><td><kbd>r</kbd></td><td>Fall: Begründung einer Ablehnung schreiben</td></tr>
<tr><td><kbd>u</kbd></td><td>zurück zur Liste</td></tr>
</tbody></table>`;
}

export function messagePage(title: string, text: string, link?: { href: string; label: string }): string {
  return `<h1>${esc(title)}</h1><p>${esc(text)}</p>${link === undefined ? '' : `<p><a href="${esc(link.href)}">${esc(link.label)}</a></p>`}`;
}

/**
 * HTML of the review workspace, written as text: every value from a message or a person goes
 * through `esc` (text and attribute context alike), so message content renders as text only and a
 * `<script>` in a Widerspruch stays words on the page. No inline script or style: the CSP forbids them.
 */

/** Escapes for HTML text and double-quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A page's frame: language, title, skip link, header with the person and sign-out, the main landmark. */
export function layout(page: {
  title: string;
  body: string;
  who?: { name: string; tenant: string; roles: readonly string[] };
  csrf?: string;
  signedIn: boolean;
}): string {
  const who =
    page.who === undefined
      ? ''
      : `<p class="who">Angemeldet: <strong>${esc(page.who.name)}</strong> · Mandant ${esc(page.who.tenant)} · ${esc(page.who.roles.join(', '))}</p>`;
  const logout =
    page.signedIn && page.csrf !== undefined
      ? `<form method="post" action="/review/logout" class="logout"><input type="hidden" name="_csrf" value="${esc(page.csrf)}"><button type="submit">Abmelden</button></form>`
      : '';
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(page.title)} – Prüfung – xoev-ai-gateway</title>
<link rel="stylesheet" href="/review/assets/review.css">
<script src="/review/assets/review.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Zum Inhalt springen</a>
<header class="top">
<p class="brand"><a href="/review">Prüfung</a> <span>xoev-ai-gateway</span></p>
${who}${logout}
</header>
<main id="main" tabindex="-1">
${page.body}
</main>
<footer><p><a href="/review/shortcuts">Tastenkürzel</a> · KI-Vorschläge werden erst gültig, wenn eine Person entscheidet (EU AI Act Art. 50).</p></footer>
</body>
</html>
`;
}

/** A short German description of how long ago an ISO instant was. */
export function age(since: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} Tage`;
}

/** Review reasons as a person reads them. */
export function reasonText(reason: string): string {
  const code = reason.split(':').at(-1) ?? reason;
  const words: Record<string, string> = {
    low_confidence: 'geringe Sicherheit',
    invalid_output: 'ungültige Antwort des Modells',
    ungrounded_evidence: 'Beleg nicht im Text',
    target_schema_violation: 'Schema verletzt',
    proposal: 'Antwortvorschlag',
  };
  return words[code] ?? code;
}

/** The reason family of a review reason, for filtering (`p1:extract:low_confidence` → `low_confidence`). */
export function reasonKey(reason: string): string {
  return reason === 'reply:proposal' ? 'proposal' : (reason.split(':').at(-1) ?? reason);
}

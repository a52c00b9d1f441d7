// Review workspace: keyboard shortcuts, the search of long label lists, and span ↔ finding
// marking. Everything also works without this script (links, forms, Tab and Enter).
(() => {
  const typing = (el) => el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  const rows = [...document.querySelectorAll('table.queue tbody tr')];
  const findings = [...document.querySelectorAll('article.finding')];
  let row = -1;
  let finding = -1;
  const focusRow = (i) => {
    if (rows.length === 0) return;
    row = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach((r, n) => r.classList.toggle('current', n === row));
    rows[row].querySelector('a')?.focus();
  };
  const focusFinding = (i) => {
    if (findings.length === 0) return;
    finding = Math.max(0, Math.min(findings.length - 1, i));
    findings.forEach((f, n) => f.classList.toggle('active', n === finding));
    findings[finding].focus();
    findings[finding].scrollIntoView({ block: 'nearest' });
  };
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(document.activeElement)) return;
    const go = {
      j: () => focusRow(row + 1),
      k: () => focusRow(row - 1),
      o: () => rows[row]?.querySelector('a')?.click(),
      n: () => focusFinding(finding + 1),
      p: () => focusFinding(finding - 1),
      e: () => (findings[Math.max(0, finding)] ?? document).querySelector('input, textarea, select')?.focus(),
      v: () => document.querySelector('#h-proposal ~ ol select, #h-proposal ~ ol textarea, #h-proposal ~ ol input')?.focus(),
      a: () => document.getElementById('accept')?.focus(),
      r: () => document.getElementById('reason')?.focus(),
      u: () => { window.location.href = '/review'; },
    }[e.key];
    if (go !== undefined) {
      e.preventDefault();
      go();
    }
  });
  // Selecting a span marks its finding; a finding's link marks the span (the :target style does the rest).
  for (const span of document.querySelectorAll('a.ev')) {
    span.addEventListener('focus', () => {
      const id = span.getAttribute('href')?.slice(1);
      findings.forEach((f) => f.classList.toggle('active', f.id === id));
    });
  }
  for (const input of document.querySelectorAll('input.label-search')) {
    const list = document.getElementById(input.dataset.list ?? '');
    input.addEventListener('input', () => {
      const q = input.value.trim().toLowerCase();
      for (const li of list?.querySelectorAll('li') ?? []) li.hidden = q !== '' && !li.textContent.toLowerCase().includes(q);
    });
  }
})();
// Re-pointing evidence: select text in a part, then the field's button takes the selection's
// offsets in that part's text (UTF-16, as the gateway counts them).
(() => {
  for (const button of document.querySelectorAll('button.repoint')) {
    button.hidden = false;
    button.addEventListener('click', () => {
      const status = document.getElementById(button.dataset.status ?? '');
      const target = document.getElementById(button.dataset.target ?? '');
      const pre = document.querySelector(`pre.source[data-part="${button.dataset.part}"]`);
      const selection = window.getSelection();
      if (!pre || !target || !selection || selection.rangeCount === 0 || selection.isCollapsed) {
        if (status) status.textContent = 'Bitte zuerst im Text markieren.';
        return;
      }
      const range = selection.getRangeAt(0);
      if (!pre.contains(range.startContainer) || !pre.contains(range.endContainer)) {
        if (status) status.textContent = 'Die Markierung liegt nicht im Text dieses Teils.';
        return;
      }
      const before = document.createRange();
      before.selectNodeContents(pre);
      before.setEnd(range.startContainer, range.startOffset);
      const start = before.toString().length;
      const quote = range.toString();
      target.value = `${start}-${start + quote.length}`;
      if (status) status.textContent = `Beleg: „${quote}“`;
    });
  }
})();

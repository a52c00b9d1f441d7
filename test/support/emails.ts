/**
 * Synthetic e-mails (message/rfc822) as citizens' mail reaches a Kommune: written here, as bytes,
 * in the encodings real clients use. No real persons.
 */
export interface MailOptions {
  messageId?: string;
  from?: string;
  subject?: string;
  /** The body's transfer encoding and charset. */
  encoding?: 'quoted-printable-latin1' | 'base64-utf8' | '8bit-utf8';
  html?: boolean;
  attachments?: { name: string; type: string; bytes: Buffer }[];
}

function encodeBody(text: string, encoding: MailOptions['encoding']): { headers: string; body: string } {
  if (encoding === 'base64-utf8')
    return {
      headers: 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64',
      body: (
        Buffer.from(text, 'utf8')
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\r\n'),
    };
  if (encoding === 'quoted-printable-latin1') {
    const latin1 = Buffer.from(text, 'latin1');
    let qp = '';
    for (const b of latin1)
      qp +=
        b === 0x0a
          ? '\r\n'
          : b >= 0x7f || b === 0x3d
            ? `=${b.toString(16).toUpperCase().padStart(2, '0')}`
            : String.fromCharCode(b);
    return {
      headers: 'Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable',
      body: qp,
    };
  }
  return {
    headers: 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit',
    body: text.replace(/\n/g, '\r\n'),
  };
}

/** An e-mail with `text` as its body (plain, or as HTML), optionally with attachments. */
export function makeMail(text: string, options: MailOptions = {}): Buffer {
  const head = [
    'Return-Path: <buerger@example.org>',
    `From: ${options.from ?? 'Erika Musterfrau <erika.musterfrau@example.org>'}`,
    // Non-ASCII in headers as mail clients write it (RFC 2047).
    'To: =?utf-8?Q?B=C3=BCrgerb=C3=BCro_Musterstadt?= <buergerbuero@musterstadt.example>',
    `Subject: ${options.subject ?? 'Widerspruch'}`,
    'Date: Tue, 01 Dec 2026 09:15:00 +0100',
    `Message-ID: <${options.messageId ?? 'a1b2c3@example.org'}>`,
    'MIME-Version: 1.0',
  ];
  const part = options.html
    ? {
        headers: 'Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit',
        body: `<html><body>${text
          .split('\n')
          .map((l) => `<p>${l}</p>`)
          .join('')}</body></html>`,
      }
    : encodeBody(text, options.encoding);
  const attachments = options.attachments ?? [];
  if (attachments.length === 0)
    return Buffer.from(
      [...head, part.headers, '', part.body, ''].join('\r\n'),
      options.encoding === 'quoted-printable-latin1' ? 'latin1' : 'utf8',
    );
  const boundary = 'xgw-mail-boundary';
  const lines = [
    ...head,
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    part.headers,
    '',
    part.body,
  ];
  for (const a of attachments)
    lines.push(
      `--${boundary}`,
      `Content-Type: ${a.type}; name="${a.name}"`,
      `Content-Disposition: attachment; filename="${a.name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      ...(a.bytes.toString('base64').match(/.{1,76}/g) ?? []),
    );
  lines.push(`--${boundary}--`, '');
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

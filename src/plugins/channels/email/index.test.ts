// The e-mail channel against a real SMTP server on loopback: what arrives, and how failures are told apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHeader, startTestSmtp, type TestSmtp, textOf } from '../../../../test/support/smtp.js';
import { DeliveryError } from '../../channel.js';
import { createEmailChannel, emailAddressProblem, parseMailFrom, SMTP_NOT_CONFIGURED } from './index.js';

const message = { subject: '[Investigating] Login fails — Acme Status', text: 'We are looking into it.\n', html: '<p>We are looking into it.</p>', unsubscribeUrl: 'https://status.example.com/unsubscribe?token=u.abc.0.sig' };

async function failure(p: Promise<unknown>): Promise<DeliveryError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

describe('email channel', () => {
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startTestSmtp();
  });
  afterAll(async () => smtp?.close());

  it('sends text and HTML with the delivery id as Message-ID and RFC 8058 one-click unsubscribe headers', async () => {
    const channel = createEmailChannel({ smtpUrl: smtp.url, mailFrom: 'Acme Status <status@example.com>' });
    expect(channel.enabled).toBe(true);
    const before = smtp.mails.length;
    await channel.send(message, { address: 'ann@example.org' }, 'job0001abc');
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.from).toBe('status@example.com');
    expect(mail!.to).toEqual(['ann@example.org']);
    expect(mail!.headers['message-id']).toBe('<job0001abc@example.com>');
    expect(mail!.headers['x-hikeshi-delivery']).toBe('job0001abc');
    expect(mail!.headers['list-unsubscribe']).toBe(`<${message.unsubscribeUrl}>`);
    expect(mail!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(decodeHeader(mail!.headers.subject!)).toBe(message.subject);
    expect(mail!.headers['content-type']).toMatch(/multipart\/alternative/);
    expect(textOf(mail!)).toContain('We are looking into it.');
  });

  it('encodes a Japanese subject instead of sending raw bytes in the header', async () => {
    const channel = createEmailChannel({ smtpUrl: smtp.url, mailFrom: 'status@example.com' });
    const before = smtp.mails.length;
    await channel.send({ subject: '【調査中】ログインできない — Acme', text: '調査しています。' }, { address: 'ken@example.jp' }, 'job0002');
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.headers.subject).toMatch(/^=\?UTF-8\?/i);
    expect(decodeHeader(mail!.headers.subject!)).toBe('【調査中】ログインできない — Acme');
    expect(textOf(mail!)).toContain('調査しています。');
    expect(mail!.headers['list-unsubscribe']).toBeUndefined();
  });

  it('without smtpUrl it is disabled and every send fails permanently, saying why', async () => {
    const channel = createEmailChannel({});
    expect(channel.enabled).toBe(false);
    const err = await failure(channel.send(message, { address: 'ann@example.org' }, 'job1'));
    expect(err.permanent).toBe(true);
    expect(err.message).toBe(SMTP_NOT_CONFIGURED);
  });

  it('refuses a line break in any header value (header injection) and sends nothing', async () => {
    const channel = createEmailChannel({ smtpUrl: smtp.url, mailFrom: 'status@example.com' });
    const before = smtp.mails.length;
    for (const [msg, address] of [
      [{ ...message, subject: 'Hello\r\nBcc: victim@example.com' }, 'ann@example.org'],
      [message, 'ann@example.org\r\nBcc: victim@example.com'],
      [message, 'ann@example.org, victim@example.com'],
      [message, 'Ann <ann@example.org>'],
      [{ ...message, unsubscribeUrl: 'https://x/\nBcc: victim@example.com' }, 'ann@example.org'],
    ] as const) {
      const err = await failure(channel.send(msg, { address }, 'job3'));
      expect(err.permanent).toBe(true);
    }
    expect((await failure(channel.send(message, { address: 'ann@example.org' }, 'job\r\n4'))).permanent).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.mails.length).toBe(before);
  });

  it('a 5xx refusal is permanent, a 4xx one and an unreachable server are retried', async () => {
    smtp.refuse(/^nobody@/, 550);
    smtp.refuse(/^busy@/, 451);
    const channel = createEmailChannel({ smtpUrl: smtp.url, mailFrom: 'status@example.com' });
    const gone = await failure(channel.send(message, { address: 'nobody@example.org' }, 'job5'));
    expect(gone.permanent).toBe(true);
    expect(gone.message).toMatch(/550/);
    const busy = await failure(channel.send(message, { address: 'busy@example.org' }, 'job6'));
    expect(busy.permanent).toBe(false);
    expect(busy.message).toMatch(/451/);
    const down = createEmailChannel({ smtpUrl: 'smtp://127.0.0.1:1', mailFrom: 'status@example.com' });
    const err = await failure(down.send(message, { address: 'ann@example.org' }, 'job7'));
    expect(err.permanent).toBe(false);
  });
});

describe('e-mail addresses', () => {
  it('accepts plain addresses and refuses display names, line breaks, lists and junk', () => {
    for (const ok of ['ann@example.org', 'a.b+tag@sub.example.co.jp', "o'neil@example.com", 'x@xn--r8jz45g.jp']) expect(emailAddressProblem(ok), ok).toBeNull();
    const bad: [string, RegExp][] = [
      ['', /empty/], ['a'.repeat(250) + '@x.com', /254/], ['ann@example.org\r\nBcc: x@y.z', /line breaks/], ['ann@example.org\n', /line breaks/],
      ['Ann <ann@example.org>', /without a name/], ['"ann"@example.org', /without a name/], ['ann@example.org, bob@example.org', /without a name/],
      ['ann', /e-mail address/], ['ann@localhost', /e-mail address/], ['ann@@example.org', /e-mail address/], ['.ann@example.org', /e-mail address/],
      ['ann@exa_mple.org', /e-mail address/], ['ann@[127.0.0.1]', /e-mail address/], ['アン@example.org', /e-mail address/],
    ];
    for (const [value, why] of bad) expect(emailAddressProblem(value), JSON.stringify(value)).toMatch(why);
  });

  it('reads mailFrom as an address or "Name <address>", never with a line break', () => {
    expect(parseMailFrom('status@example.com')).toEqual({ name: '', address: 'status@example.com' });
    expect(parseMailFrom('Acme Status <status@example.com>')).toEqual({ name: 'Acme Status', address: 'status@example.com' });
    expect(parseMailFrom('"Acme Status" <status@example.com>')).toEqual({ name: 'Acme Status', address: 'status@example.com' });
    expect(parseMailFrom('Acme\r\nBcc: x@y.z <status@example.com>')).toBeNull();
    expect(parseMailFrom('Acme Status')).toBeNull();
  });
});

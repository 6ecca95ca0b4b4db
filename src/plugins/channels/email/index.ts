// E-mail over SMTP (nodemailer). One message per recipient; the delivery id is the Message-ID, so a
// retried delivery is recognisable as the same message; List-Unsubscribe with RFC 8058 one-click.
import nodemailer from 'nodemailer';
import { type ChannelPlugin, DeliveryError, hasControlChars } from '../../channel.js';
import { emailAddressProblem, parseMailFrom } from './address.js';

export { emailAddressProblem, normalizeEmail, parseMailFrom } from './address.js';

/** Who receives an e-mail. */
export interface EmailTarget {
  address: string;
}

export interface EmailChannelOptions {
  /** smtp://user:pass@host:587 or smtps://…:465; unset: every send fails permanently with "SMTP is not configured". */
  smtpUrl?: string;
  /** The sender: `status@example.com` or `Example Status <status@example.com>` (default hikeshi@localhost). */
  mailFrom?: string;
}

/** The message every send fails with while no SMTP server is configured. */
export const SMTP_NOT_CONFIGURED = 'SMTP is not configured (set smtpUrl / HIKESHI_SMTP_URL)';

/** SMTP replies and transport errors: 5xx replies are final, anything else (4xx, no connection) is worth a retry. */
function asDeliveryError(err: unknown): DeliveryError {
  const e = err as Error & { responseCode?: number; code?: string; response?: string };
  const reply = e.response ? `: ${e.response.replace(/[\r\n]+/g, ' ').slice(0, 300)}` : '';
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
    return DeliveryError.permanent(`SMTP ${e.responseCode}${reply}`);
  }
  return new DeliveryError(`SMTP ${e.responseCode ?? e.code ?? 'error'}${reply || `: ${e.message}`}`);
}

/** Builds the e-mail channel from the server's SMTP settings. */
export function createEmailChannel(options: EmailChannelOptions = {}): ChannelPlugin<EmailTarget> {
  // The fallback sender is for a first try on one machine; real mail servers want mailFrom set.
  const from = options.mailFrom ? parseMailFrom(options.mailFrom) : { name: 'Hikeshi', address: 'hikeshi@localhost' };
  if (!from) throw new Error('mailFrom must be an address or "Name <address>" without line breaks');
  const fromDomain = from.address.slice(from.address.lastIndexOf('@') + 1);
  const transport = options.smtpUrl
    ? nodemailer.createTransport({
      url: options.smtpUrl,
      // A mail server that hangs must not hold a job's lease for minutes (nodemailer waits 2 min by default).
      connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000,
    })
    : null;

  return {
    id: 'email',
    name: { en: 'E-mail', ja: 'メール' },
    enabled: transport !== null,
    async send(message, target, deliveryId) {
      if (!transport) throw DeliveryError.permanent(SMTP_NOT_CONFIGURED);
      // Anything that ends up in a header is checked here too, whatever the caller validated:
      // a CR or LF would let a value start a header (Bcc:) or the body of its own.
      const addressProblem = emailAddressProblem(target.address);
      if (addressProblem) throw DeliveryError.permanent(`recipient ${addressProblem}`);
      for (const [what, value] of [['subject', message.subject], ['unsubscribe URL', message.unsubscribeUrl ?? ''], ['delivery id', deliveryId]] as const) {
        if (hasControlChars(value)) throw DeliveryError.permanent(`${what} must not contain line breaks or control characters`);
      }
      if (!/^[A-Za-z0-9._-]{1,100}$/.test(deliveryId)) throw DeliveryError.permanent('delivery id must be letters, digits, ".", "_" or "-"');
      const headers: Record<string, string> = { 'X-Hikeshi-Delivery': deliveryId };
      if (message.unsubscribeUrl) {
        headers['List-Unsubscribe'] = `<${message.unsubscribeUrl}>`;
        headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
      }
      try {
        const info = await transport.sendMail({
          from, to: target.address, subject: message.subject, text: message.text,
          ...(message.html ? { html: message.html } : {}),
          messageId: `<${deliveryId}@${fromDomain}>`,
          headers,
        });
        return { ok: true, detail: String(info.response ?? '').slice(0, 200) };
      } catch (err) {
        throw asDeliveryError(err);
      }
    },
  };
}

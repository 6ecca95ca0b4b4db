// A ChannelMessage as a Slack incoming-webhook payload: `text` (what notifications and screen readers
// show) plus Block Kit `blocks`. Every text is cut to Slack's documented limits, since one field over
// a limit makes Slack refuse the whole message (400 invalid_payload), and every mrkdwn text has
// &, < and > escaped, since those are Slack's control characters: unescaped, a title could carry
// <!channel> (notifying everyone) or <https://elsewhere|Acknowledge> (a disguised link).
//
// The card's colour is not sent. Slack draws a colour bar only beside legacy secondary attachments,
// which Slack says may be shown less prominently (collapsed behind "Show more") in future; the card's
// acknowledge button must not go there, and an attachment holding nothing but a colour is empty.
import type { ChannelCard, ChannelMessage } from '../../channel.js';
import { oneLine, truncate } from './chat-webhook.js';

/** Block Kit limits (docs.slack.dev/reference/block-kit): characters, or items where it says so. */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  /** Fields in one section block. */
  fieldsPerSection: 10,
  buttonText: 75,
  buttonUrl: 3000,
  /** Elements in one actions block. */
  actions: 25,
  /** Facts shown: two sections. A card with more is badly shaped; the rest would only push the buttons down. */
  facts: 20,
} as const;

/** Slack mrkdwn with its control characters escaped (only these three: Slack decodes no other entity). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `text` escaped, then cut to `max` without leaving half an entity (`&am…`) at the cut. */
function mrkdwn(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  const cut = truncate(escaped, max).slice(0, -1).replace(/&[a-z]*$/, '');
  return `${cut}…`;
}

/** A plain_text object (not parsed by Slack, so not escaped) on one line, cut to `max`. */
function plain(text: string, max: number, fallback: string): { type: 'plain_text'; text: string; emoji: true } {
  return { type: 'plain_text', text: truncate(oneLine(text) || oneLine(fallback) || 'Hikeshi', max), emoji: true };
}

/** A link button, or null for a URL Slack would refuse (not http(s), or too long): the rest of the card still goes. */
function button(action: ChannelCard['actions'][number], index: number): Record<string, unknown> | null {
  if (!/^https?:\/\//i.test(action.url) || action.url.length > SLACK_LIMITS.buttonUrl) return null;
  return {
    type: 'button',
    action_id: `hikeshi-${index}`,
    text: plain(action.label, SLACK_LIMITS.buttonText, action.url),
    url: action.url,
    ...(action.style ? { style: action.style } : {}),
  };
}

function cardBlocks(card: ChannelCard, subject: string): unknown[] {
  const blocks: unknown[] = [{ type: 'header', text: plain(card.title, SLACK_LIMITS.headerText, subject) }];
  if (card.summary?.trim()) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(card.summary, SLACK_LIMITS.sectionText) }] });
  // A field is "*Label*" over its value; Slack refuses an empty text, so a fact with neither is left out.
  const facts = card.facts.filter((f) => oneLine(f.label) || f.value.trim()).slice(0, SLACK_LIMITS.facts);
  for (let i = 0; i < facts.length; i += SLACK_LIMITS.fieldsPerSection) {
    const fields = facts.slice(i, i + SLACK_LIMITS.fieldsPerSection).map((f) => {
      const label = oneLine(f.label);
      return { type: 'mrkdwn', text: mrkdwn(label ? `*${label}*\n${f.value}` : f.value, SLACK_LIMITS.fieldText) };
    });
    blocks.push({ type: 'section', fields });
  }
  const buttons = card.actions.slice(0, SLACK_LIMITS.actions).map(button).filter((b) => b !== null);
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return blocks;
}

function textBlocks(message: ChannelMessage): unknown[] {
  const blocks: unknown[] = [{ type: 'header', text: plain(message.subject, SLACK_LIMITS.headerText, '') }];
  if (message.text.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: mrkdwn(message.text, SLACK_LIMITS.sectionText) } });
  return blocks;
}

/** The incoming-webhook payload for `message`: its card when it has one, else its subject and text. */
export function slackPayload(message: ChannelMessage): { text: string; blocks: unknown[] } {
  // With blocks, `text` is only the notification; without a card it has to say what the message says.
  const text = message.card ? message.text : message.text.trim() ? `${message.subject}\n${message.text}` : message.subject;
  return {
    text: mrkdwn(text, SLACK_LIMITS.sectionText),
    blocks: message.card ? cardBlocks(message.card, message.subject) : textBlocks(message),
  };
}

// A ChannelMessage as the message a Teams Workflows webhook ("Post to a channel when a webhook request
// is received") posts: one Adaptive Card 1.4 attachment. Workflows take Adaptive Cards only, not the
// retired connectors' MessageCard.
//
// Texts are cut so that a card stays well under Teams' ~28 KB message limit (Adaptive Cards have no
// per-field limits of their own). TextBlocks and FactSets read a little Markdown, and Teams clients
// render backslash escapes inconsistently (desktop hides them, mobile has shown them), so text is not
// escaped; only the one construct that could mislead is broken: a Markdown link, whose text could say
// "Acknowledge" and lead elsewhere. A zero-width space between `]` and `(` leaves it visibly the same
// text but no link. Bold or italics from an alert's text are harmless.
//
// The card's colour is not sent: Adaptive Cards have no free colour, only a few named styles
// ("attention", "warning", "good"), and which one a #rrggbb means is the sender's call, not a guess here.
import type { ChannelCard, ChannelMessage } from '../../channel.js';
import { oneLine, truncate } from '../slack/chat-webhook.js';

/** How long texts may be (characters) and how many facts are shown; together well under 28 KB. */
export const TEAMS_LIMITS = {
  title: 200,
  summary: 500,
  factTitle: 100,
  factValue: 500,
  facts: 20,
  actionTitle: 75,
  text: 5000,
} as const;

/** User text with Markdown links broken (see above). */
export function unlink(text: string): string {
  return text.replace(/\]\s*\(/g, ']\u200b(');
}

/** A TextBlock; a Markdown paragraph needs a blank line, so single line breaks are doubled to keep them. */
function textBlock(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'TextBlock', text: unlink(text).replace(/\r\n?/g, '\n').replace(/\n+/g, '\n\n'), wrap: true, ...extra };
}

function title(text: string): Record<string, unknown> {
  return textBlock(truncate(text, TEAMS_LIMITS.title), { size: 'Large', weight: 'Bolder' });
}

const ACTION_STYLE = { primary: 'positive', danger: 'destructive' } as const;

function cardParts(card: ChannelCard, subject: string): { body: unknown[]; actions: unknown[] } {
  const body = [title(oneLine(card.title) || oneLine(subject) || 'Hikeshi')];
  if (card.summary?.trim()) body.push(textBlock(truncate(oneLine(card.summary), TEAMS_LIMITS.summary), { isSubtle: true, spacing: 'None' }));
  const facts = card.facts
    .filter((f) => oneLine(f.label) || f.value.trim())
    .slice(0, TEAMS_LIMITS.facts)
    .map((f) => ({ title: unlink(truncate(oneLine(f.label), TEAMS_LIMITS.factTitle)), value: unlink(truncate(f.value, TEAMS_LIMITS.factValue)) }));
  if (facts.length > 0) body.push({ type: 'FactSet', facts });
  // Teams shows six actions in a row and moves the rest into an overflow menu; all are kept.
  const actions = card.actions
    .filter((a) => /^https?:\/\//i.test(a.url))
    .map((a) => ({
      type: 'Action.OpenUrl',
      title: truncate(oneLine(a.label) || a.url, TEAMS_LIMITS.actionTitle),
      url: a.url,
      ...(a.style ? { style: ACTION_STYLE[a.style] } : {}),
    }));
  return { body, actions };
}

function textParts(message: ChannelMessage): { body: unknown[]; actions: unknown[] } {
  const body = [title(oneLine(message.subject) || 'Hikeshi')];
  if (message.text.trim()) body.push(textBlock(truncate(message.text.trim(), TEAMS_LIMITS.text)));
  return { body, actions: [] };
}

/** The Workflows webhook payload for `message`: its card when it has one, else its subject and text. */
export function teamsPayload(message: ChannelMessage): Record<string, unknown> {
  const { body, actions } = message.card ? cardParts(message.card, message.subject) : textParts(message);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(actions.length > 0 ? { actions } : {}),
          // Full width: a card of facts is unreadable in the default narrow column.
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}

// Problem documents in the reader's language. Services and schemas speak English; this is where
// a Japanese reader's version of every title and field message lives. Chosen by Accept-Language
// (the web UI sends the signed-in user's language).
import type { Locale } from '../shared/phases.js';

/** The reader's language from an Accept-Language header: ja when Japanese comes first, else en. */
export function localeFromHeader(header: string | undefined): Locale {
  return header?.trim().toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

const TITLES_JA: Record<string, string> = {
  'Invalid request': '入力内容に誤りがあります',
  'Malformed JSON': 'JSON の形式が正しくありません',
  'Body too large': 'リクエストが大きすぎます',
  'Unsupported media type': '対応していない形式です',
  'Too many requests': 'リクエストが多すぎます',
  'Not found': '見つかりません',
  Conflict: '競合しています',
  Forbidden: '権限がありません',
  Unauthorized: 'サインインが必要です',
  'Phase change not allowed': 'そのフェーズには移れません',
  'Idempotency key reused': 'Idempotency-Key が別のリクエストで使われています',
  'Internal server error': 'サーバー内部のエラーです',
  'Bad request': '不正なリクエストです',
};

const MESSAGES_JA: Record<string, string> = {
  'must not be empty': '空にはできません',
  'must not contain the NUL character (U+0000)': 'NUL 文字（U+0000）は使えません',
  'a task needs an owner: who does it': 'タスクには担当者（誰が）が必要です',
  'a task needs a purpose: why it is done': 'タスクには目的（何のために）が必要です',
  'a task needs an action: what is done': 'タスクには作業（何をするか）が必要です',
  'say what was decided': '何を決めたかを書いてください',
  'say why': '理由を書いてください',
  'name the risk accepted (write "none" if there is none)': '許容したリスクを書いてください（なければ「なし」）',
  'must be an ISO-8601 time such as 2026-11-23T14:00:00Z': 'ISO-8601 形式の日時で指定してください（例: 2026-11-23T14:00:00Z）',
  'must be an e-mail address': 'メールアドレスを指定してください',
  'must be at least 10 characters': '10 文字以上にしてください',
  'must be an IANA time zone such as Asia/Tokyo': 'Asia/Tokyo のような IANA タイムゾーンを指定してください',
  'must start with postgres:// or postgresql://': 'postgres:// か postgresql:// で始めてください',
  'must be lowercase letters, digits, - or _': '英小文字・数字・- ・_ で書いてください',
  'must include commander': 'commander（指揮官）を含めてください',
  'must not repeat a role': '同じロールを重複させないでください',
  'unknown field': '不明な項目です',
  'not valid JSON': 'JSON として読めません',
  'unknown user': '存在しないユーザーです',
  'already in use': 'すでに使われています',
  'invalid or expired': '無効か期限切れです',
  'does not match': '一致しません',
  invalid: '不正な値です',
  'already used with another request': '別のリクエストで使用済みです',
  'name a commander': '指揮官を指定してください',
  'say who joins': '誰が参加するかを指定してください',
  'say who decided': '誰が決めたかを指定してください',
};

const PATTERNS_JA: [RegExp, (...m: string[]) => string][] = [
  [/^cannot go from (\w+) to (\w+)$/, (_, a, b) => `${a} から ${b} には移れません`],
  [/^unknown role; configured roles: (.*)$/, (_, r) => `不明なロールです。設定済みのロール: ${r}`],
  [/^unknown placeholder (.*?); known: (.*)$/, (_, p, k) => `不明な差し込み項目 ${p} があります。使えるもの: ${k}`],
];

/** The issue a validation error carried, as far as the message needs it. */
export interface IssueFacts {
  code?: string;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  values?: unknown[];
  format?: string;
}

const UNITS_JA: Record<string, string> = { string: '文字', array: '件', set: '件' };

/** One field message in Japanese: ours from the dictionary, zod's from the issue's facts. */
export function fieldMessageJa(message: string, issue: IssueFacts = {}): string {
  const known = MESSAGES_JA[message];
  if (known) return known;
  for (const [re, fn] of PATTERNS_JA) {
    const m = re.exec(message);
    if (m) return fn(...m);
  }
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined/.test(message) ? '必須です' : `種類が違います（${issue.expected ?? '?'} を指定してください）`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return '空にはできません';
      return `${String(issue.minimum)}${UNITS_JA[issue.origin ?? ''] ?? ''} 以上にしてください`;
    case 'too_big':
      return `${String(issue.maximum)}${UNITS_JA[issue.origin ?? ''] ?? ''} 以下にしてください`;
    case 'invalid_value':
      return `次のいずれかを指定してください: ${(issue.values ?? []).map(String).join(', ')}`;
    case 'invalid_format':
      return `形式が正しくありません（${issue.format ?? ''}）`;
    default:
      return message;
  }
}

/** A problem title in Japanese (unchanged when there is none). */
export function titleJa(title: string): string {
  return TITLES_JA[title] ?? title;
}

const THINGS_JA: Record<string, string> = {
  Incident: 'インシデント', User: 'ユーザー', Task: 'タスク', Token: 'トークン', Team: 'チーム',
  'Timeline event': 'タイムラインの記録', Responder: '対応者', 'Role holder for': 'ロールの担当者',
};

/** "Incident INC-9 does not exist" in Japanese. */
export function notFoundJa(what: string, id: string): string {
  return `${THINGS_JA[what] ?? what} ${id} は存在しません`;
}

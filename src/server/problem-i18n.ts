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
  'Service unavailable': '利用できません',
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
  // Status page subscribers (sign-up form, JSON sign-ups, admin API)
  'must be at most 254 characters': '254 文字以内にしてください',
  'must not contain line breaks or control characters': '改行や制御文字は使えません',
  'must be a plain address such as name@example.com, without a name or brackets': '名前や括弧を付けず、name@example.com のようなアドレスだけを書いてください',
  'must be an e-mail address such as name@example.com': 'name@example.com のようなメールアドレスを指定してください',
  'give it once': '1 回だけ指定してください',
  'is not a component of this page': 'このページのコンポーネントではありません',
  'at most 100 components': 'コンポーネントは 100 件までです',
  'must be en or ja': 'en か ja を指定してください',
  'must be text': '文字列で指定してください',
  'must be an absolute http or https URL': 'http または https の絶対 URL を指定してください',
  'must be an http or https URL': 'http または https の URL を指定してください',
  'must not carry a user name or password; the signature authenticates the sender': 'ユーザー名やパスワードは含めないでください（送信元は署名で確認できます）',
  'must be at most 2000 characters': '2000 文字以内にしてください',
  'must not contain control characters': '制御文字は使えません',
  'must not point to a loopback, private or link-local address (set webhookAllowPrivate to allow it)':
    'ループバック・プライベート・リンクローカルのアドレスには送れません（許可するには webhookAllowPrivate を設定してください）',
  // Status pages, components, maintenance and incident links (admin API)
  'must be lowercase letters and digits, with single hyphens between them (e.g. acme-cloud)': '英小文字と数字で、ハイフンは間に 1 つずつ入れてください（例: acme-cloud）',
  'must be a host name of its own such as status.example.com (lowercase, with a dot, not an IP address)':
    'status.example.com のような専用のホスト名を指定してください（小文字、ドットを含む、IP アドレス不可）',
  'must be an https URL (at most 2000 characters) or a data:image/…;base64 URI of a PNG, JPEG, GIF, WebP or SVG image up to 200 kB':
    'https の URL（2000 文字以内）か、200 kB までの PNG・JPEG・GIF・WebP・SVG 画像の data:image/…;base64 URI を指定してください',
  'must be an http(s) URL': 'http または https の URL を指定してください',
  'must be a colour as #rrggbb': '#rrggbb の形で色を指定してください',
  'must be after startsAt': 'startsAt より後にしてください',
  'must be before endsAt': 'endsAt より前にしてください',
  'must be in the future': '未来の日時にしてください',
  'must not be more than 5 minutes in the past (start a window early with an in_progress update)':
    '5 分以上前の日時は指定できません（早めに始めるときは in_progress の更新を投稿してください）',
  'name at least one component': 'コンポーネントを 1 つ以上指定してください',
  'listed twice': '重複しています',
  'not a component of this status page': 'このステータスページのコンポーネントではありません',
  'not a group of this status page': 'このステータスページのグループではありません',
  'no such status page component': 'そのステータスページのコンポーネントは存在しません',
  'already started': 'すでに始まっています',
  'not started yet': 'まだ始まっていません',
  // On-call schedules, overrides and calendar feeds
  'must be a local date and time such as 2026-11-23T09:00': '2026-11-23T09:00 のような現地の日付と時刻で指定してください',
  'must be a time of day such as 09:00': '09:00 のような時刻で指定してください',
  'name at least one day': '曜日を 1 つ以上指定してください',
  'is not a date on the calendar': '存在しない日付です',
  'a layer needs at least one participant': 'レイヤーには参加者が 1 人以上必要です',
  'no such user': 'そのユーザーは存在しません',
  'no such team': 'そのチームは存在しません',
  'no such schedule': 'そのスケジュールは存在しません',
  'two layers have this id': '同じ ID のレイヤーが 2 つあります',
  'must be after start': '開始より後にしてください',
  'must not be in the past (the past keeps the layers it had)': '過去の日時は指定できません（過去はそのときのレイヤーのままです）',
  'an override lasts at most 366 days': 'オーバーライドは 366 日までです',
  'must be after from': 'from より後にしてください',
  'at most 366 days after from': 'from から 366 日以内にしてください',
  // Paging: escalation policies, pages, contact methods and notification rules
  'a level needs at least one target': 'レベルには呼び出し先が 1 つ以上必要です',
  'a policy needs at least one level': 'ポリシーにはレベルが 1 つ以上必要です',
  'no such escalation policy': 'そのエスカレーションポリシーは存在しません',
  'not available on this server': 'このサーバーでは使えません',
  'not one of this person’s contact methods': 'この人の連絡先ではありません',
  'must be an https URL': 'https の URL を指定してください',
  'must not carry a user name or password': 'ユーザー名やパスワードは含めないでください',
  'must be a Slack incoming webhook URL (https://hooks.slack.com/services/…)': 'Slack の Incoming Webhook の URL（https://hooks.slack.com/services/…）を指定してください',
  'must be an incoming webhook URL (https://hooks.slack.com/services/…), not a Workflow Builder trigger': 'ワークフロービルダーのトリガーではなく、Incoming Webhook の URL（https://hooks.slack.com/services/…）を指定してください',
  required: '必須です',
};

const PATTERNS_JA: [RegExp, (...m: string[]) => string][] = [
  [/^cannot go from (\w+) to (\w+)$/, (_, a, b) => `${a} から ${b} には移れません`],
  [/^unknown role; configured roles: (.*)$/, (_, r) => `不明なロールです。設定済みのロール: ${r}`],
  [/^unknown placeholder (.*?); known: (.*)$/, (_, p, k) => `不明な差し込み項目 ${p} があります。使えるもの: ${k}`],
  [/^no escalation policy with id (.*)$/, (_, id) => `ID が ${id} のエスカレーションポリシーはありません`],
  [/^no integration with id (.*)$/, (_, id) => `ID が ${id} のインテグレーションはありません`],
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
  'Status page': 'ステータスページ', Maintenance: 'メンテナンス', 'Set-aside request': '保留中のリクエスト',
  Schedule: 'スケジュール', Override: 'オーバーライド', 'Calendar feed': 'カレンダーフィード', 'Escalation policy': 'エスカレーションポリシー',
  Page: '呼び出し', 'Contact method': '連絡先', 'Alert group': 'アラートグループ',
};

/** "Incident INC-9 does not exist" in Japanese. */
export function notFoundJa(what: string, id: string): string {
  return `${THINGS_JA[what] ?? what} ${id} は存在しません`;
}

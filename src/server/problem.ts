import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldMessageJa, type IssueFacts, localeFromHeader, notFoundJa, titleJa } from './problem-i18n.js';

/** One field-level problem: `field` is a dotted path such as `body.tasks.0.owner`. */
export interface FieldError {
  field: string;
  message: string;
  /** What the validator knew, so the message can be put into the reader's language (never sent). */
  issue?: IssueFacts;
}

/** The RFC 9457 problem document every error response carries. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/** An error a service raises to answer with a specific status and explanation. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    /** The detail for Japanese readers, when the service can say it. */
    readonly detailJa?: string,
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }

  /** Members a sender's own error format expects (PagerDuty's `message`); the problem's own members win. */
  extra?: Record<string, unknown>;
  /** Response headers to add (Retry-After). */
  headers?: Record<string, string>;
}

/** Shorthands for the problems services raise most. */
export const problems = {
  notFound: (what: string, id: string) => new HttpProblem(404, 'Not found', `${what} ${id} does not exist`, undefined, notFoundJa(what, id)),
  invalid: (field: string, message: string) =>
    new HttpProblem(422, 'Invalid request', `${field}: ${message}`, [{ field, message }]),
  conflict: (detail: string, detailJa?: string) => new HttpProblem(409, 'Conflict', detail, undefined, detailJa),
  forbidden: (detail: string, detailJa?: string) => new HttpProblem(403, 'Forbidden', detail, undefined, detailJa),
  unauthorized: (detail: string, detailJa?: string) => new HttpProblem(401, 'Unauthorized', detail, undefined, detailJa),
};

const TYPE_BASE = 'https://hikeshi.dev/problems/';

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const fieldLine = (errors: FieldError[]) => errors.map((f) => `${f.field}: ${f.message}`).join('; ');

/** Sends a problem document, in Japanese when the reader asked for it (Accept-Language: ja). */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, p: HttpProblem): FastifyReply {
  const ja = localeFromHeader(request.headers['accept-language']) === 'ja';
  const errors = (p.errors ?? []).map((f) => ({ field: f.field, message: ja ? fieldMessageJa(f.message, f.issue) : f.message }));
  let detail = p.detail;
  if (ja) detail = p.detailJa ?? (p.errors?.length && p.detail === fieldLine(p.errors) ? fieldLine(errors) : p.detail);
  const body: z.infer<typeof ProblemSchema> = {
    ...(p.extra ?? {}),
    type: TYPE_BASE + slug(p.title),
    title: ja ? titleJa(p.title) : p.title,
    status: p.status,
    ...(detail ? { detail } : {}),
    instance: request.url,
    ...(errors.length ? { errors } : {}),
  };
  if (p.headers) reply.headers(p.headers);
  return reply.code(p.status).type('application/problem+json').serializer(JSON.stringify).send(body);
}

/** Maps every error Fastify or a handler throws to a problem document. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HttpProblem) return sendProblem(reply, request, error);

  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = (error.validationContext ?? 'body') as string;
    const fields = error.validation.flatMap((v): FieldError[] => {
      const path = [part, ...v.instancePath.split('/').filter(Boolean)];
      const keys = (v.params as { keys?: string[] } | undefined)?.keys;
      if (v.keyword === 'unrecognized_keys' && keys?.length) {
        return keys.map((key) => ({ field: [...path, key].join('.'), message: 'unknown field' }));
      }
      return [{ field: path.join('.'), message: v.message ?? 'invalid', issue: { code: v.keyword, ...(v.params as object) } }];
    });
    const detail = fieldLine(fields);
    return sendProblem(reply, request, new HttpProblem(400, 'Invalid request', detail, fields));
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'response did not match its schema');
    return sendProblem(reply, request, new HttpProblem(500, 'Internal server error', 'The response could not be produced'));
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendProblem(reply, request, new HttpProblem(400, 'Malformed JSON', `The body is not valid JSON: ${error.message}`, [{ field: 'body', message: 'not valid JSON' }]));
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendProblem(reply, request, new HttpProblem(413, 'Body too large', error.message));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendProblem(reply, request, new HttpProblem(415, 'Unsupported media type', 'Send application/json'));
  }
  if (error.statusCode === 429) {
    return sendProblem(reply, request, new HttpProblem(429, 'Too many requests', error.message));
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(reply, request, new HttpProblem(error.statusCode, 'Bad request', error.message));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, request, new HttpProblem(500, 'Internal server error', 'Something went wrong; it has been logged'));
}

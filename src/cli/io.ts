import { randomUUID } from 'node:crypto';

/** A readable the CLI can take a password from: process.stdin, or a stream a test feeds. */
export interface CliInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/** A writable the CLI prints to; `isTTY` decides whether prompts are shown. */
export interface CliOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** Where a CLI run reads from and writes to. Tests inject their own; `main()` passes the process's. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  env: NodeJS.ProcessEnv;
  stdin: CliInput;
  /** Resolves when the server should shut down (SIGINT/SIGTERM); tests pass their own trigger. */
  shutdownSignal?: () => Promise<string>;
}

/** Exit codes, the contract scripts rely on. */
export const EXIT = {
  ok: 0,
  /** The server refused (4xx/5xx problem), or a lookup found nothing. */
  refused: 1,
  /** Missing or invalid options; not logged in. */
  usage: 2,
  /** The server cannot be reached. */
  unreachable: 3,
} as const;

/** An error that ends the command with a message and an exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    /** Further lines printed under the message (field errors, hints). */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A usage error (exit 2). */
export function usageError(message: string, details: string[] = []): CliError {
  return new CliError(EXIT.usage, message, details);
}

/** Writes one line. */
export function println(out: CliOutput, line = ''): void {
  out.write(line + '\n');
}

/** A fresh Idempotency-Key. */
export function newIdempotencyKey(): string {
  return randomUUID();
}

/** Reads the whole input as text. */
export async function readAll(input: CliInput): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A password from stdin: the first line of piped input, or, on a terminal, typed at a prompt
 * that does not echo. Trailing CR/LF is dropped; other whitespace is kept (it may be part of it).
 */
export async function readPassword(io: CliIo, prompt: string, forceStdin: boolean): Promise<string> {
  const input = io.stdin;
  if (!forceStdin && input.isTTY && typeof input.setRawMode === 'function') {
    return promptHidden(io, prompt);
  }
  const text = await readAll(input);
  const firstLine = text.split(/\r?\n/)[0] ?? '';
  return firstLine;
}

function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const input = io.stdin;
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err: Error | null) => {
      input.setRawMode?.(false);
      input.removeListener('data', onData);
      input.pause();
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(null);
        if (ch === '\u0003') return done(new CliError(130, 'cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.setRawMode?.(true);
    input.resume();
    input.on('data', onData);
  });
}

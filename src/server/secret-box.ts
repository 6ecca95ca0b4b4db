import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PREFIX = 'enc:v1:';

/**
 * Encrypts secrets that must be read back to be used (a Grafana HMAC secret cannot be hashed):
 * AES-256-GCM under a key from `secretKey` (config), else from `<dataDir>/secret.key`, created on
 * first start (mode 0600). Several nodes sharing PostgreSQL must share `secretKey`.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(secret).digest();
  }

  /** The configured key, or the one kept in the data directory (made when missing). */
  static open(secretKey: string | undefined, dataDir: string): SecretBox {
    if (secretKey) return new SecretBox(secretKey);
    const file = join(dataDir, 'secret.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
    }
    chmodSync(file, 0o600);
    return new SecretBox(readFileSync(file, 'utf8').trim());
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + [iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64url')).join(':');
  }

  /** The plain text; throws if the value was sealed under another key or tampered with. */
  open(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) return sealed;
    const [iv, tag, ct] = sealed.slice(PREFIX.length).split(':').map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(ct!), decipher.final()]).toString('utf8');
  }

  /**
   * A key for another use (signing links in e-mails), derived with HKDF so it never equals the
   * encryption key and one use's key tells nothing about another's.
   */
  subkey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `hikeshi:${purpose}`, 32));
  }

  static isSealed(value: unknown): boolean {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }
}

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KEY_BYTES, open, seal } from './envelope.js';
import { type KeyProvider, UnknownKeyError } from './key-provider.js';

interface KeyEntry {
  id: string;
  /** 32 random bytes, base64. */
  key: string;
  created: string;
}

interface KeyFile {
  /** Id of the KEK new data keys are wrapped with. */
  active: string;
  keys: KeyEntry[];
}

/**
 * KEKs in a JSON file readable by the vault's user only (0600), kept outside the database
 * directory: `VAULT_KEK_FILE`, by default `.payin/vault-keys/kek.json` beside (never inside)
 * `.payin/vault-db`. Created with a fresh random KEK on first start: there is no unlock
 * ceremony, the process that can read the file can start.
 */
export class LocalKeyFileProvider implements KeyProvider {
  private file: KeyFile;

  constructor(private readonly path: string) {
    this.file = LocalKeyFileProvider.readOrCreate(path);
  }

  async activeKeyId(): Promise<string> {
    return this.file.active;
  }

  async wrap(keyId: string, dataKey: Buffer, context: string): Promise<string> {
    return seal(this.kek(keyId), dataKey, `kek:${keyId}:${context}`);
  }

  async unwrap(keyId: string, wrapped: string, context: string): Promise<Buffer> {
    if (!this.file.keys.some((k) => k.id === keyId)) await this.refresh();
    return open(this.kek(keyId), wrapped, `kek:${keyId}:${context}`);
  }

  async refresh(): Promise<void> {
    this.file = LocalKeyFileProvider.readOrCreate(this.path);
  }

  /** Adds a new KEK and makes it the active one; older KEKs stay until `retire`. */
  async addKey(): Promise<string> {
    await this.refresh();
    const entry = newKek();
    const next: KeyFile = { active: entry.id, keys: [...this.file.keys, entry] };
    LocalKeyFileProvider.write(this.path, next);
    this.file = next;
    return entry.id;
  }

  /** Removes KEKs no data key is wrapped with any more (never the active one). */
  async retire(keyIds: string[]): Promise<void> {
    await this.refresh();
    const next = {
      ...this.file,
      keys: this.file.keys.filter((k) => k.id === this.file.active || !keyIds.includes(k.id)),
    };
    LocalKeyFileProvider.write(this.path, next);
    this.file = next;
  }

  keyIds(): string[] {
    return this.file.keys.map((k) => k.id);
  }

  private kek(keyId: string): Buffer {
    const entry = this.file.keys.find((k) => k.id === keyId);
    if (!entry) throw new UnknownKeyError(keyId);
    return Buffer.from(entry.key, 'base64');
  }

  private static readOrCreate(path: string): KeyFile {
    if (!existsSync(path)) {
      const entry = newKek();
      const file: KeyFile = { active: entry.id, keys: [entry] };
      LocalKeyFileProvider.write(path, file);
      return file;
    }
    const file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
    if (!file.keys.some((k) => k.id === file.active)) throw new Error(`${path}: the active KEK is missing`);
    return file;
  }

  /** Write-then-rename: a reader never sees half a file. */
  private static write(path: string, file: KeyFile): void {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  }
}

/** `kek_20261125160000_a1b2c3`: sortable by creation, unique without coordination. */
function newKek(): KeyEntry {
  const created = new Date().toISOString();
  const id = `kek_${created.replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`;
  return { id, key: randomBytes(KEY_BYTES).toString('base64'), created };
}

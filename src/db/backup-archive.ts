import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { dirname } from 'node:path';
import type { BackupManifest } from './backup-manifest.ts';

// A backup is one file in tar (ustar) form, so standard tools open it as well as Mortar:
//   manifest.json            what backup-manifest.ts describes, with the payload's size and SHA-256
//   database.tar.gz          the embedded database's data directory (PGlite's dumpDataDir), or
//   database.pgdump          pg_dump's custom format, which pg_restore reads (`tar -xf` it out).
// The manifest comes first so restore can refuse a backup before reading the rest, and the payload's hash
// is checked in full before anything is changed, so a damaged or cut-short file is refused cleanly.
// Files are written owner-only (0600) under a temporary name and linked into place when complete: a
// backup that fails half way leaves no file that looks whole, and an existing file is never overwritten.

const BLOCK = 512;
const MANIFEST_NAME = 'manifest.json';
const FILE_MODE = 0o600;

export class BackupFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupFileError';
  }
}

/** A tar size field: octal in 11 digits, or base-256 (GNU) for 8 GiB and over. */
function writeSize(header: Buffer, size: number) {
  if (size < 8 ** 11) {
    header.write(size.toString(8).padStart(11, '0') + '\0', 124, 12, 'ascii');
    return;
  }
  header[124] = 0x80;
  let rest = BigInt(size);
  for (let i = 135; i > 124; i--) {
    header[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

function readSize(header: Buffer): number {
  if (header[124]! & 0x80) {
    let size = 0n;
    for (let i = 125; i < 136; i++) size = (size << 8n) | BigInt(header[i]!);
    return Number(size);
  }
  const text = header.toString('ascii', 124, 136).replace(/[\0 ]+$/, '');
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : NaN;
}

const checksumOf = (header: Buffer) => {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
};

export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write('0000600\0', 100, 8, 'ascii');
  h.write('0000000\0', 108, 8, 'ascii');
  h.write('0000000\0', 116, 8, 'ascii');
  writeSize(h, size);
  h.write(
    Math.floor(mtime.getTime() / 1000)
      .toString(8)
      .padStart(11, '0') + '\0',
    136,
    12,
    'ascii',
  );
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\u000000', 257, 8, 'ascii');
  h.write(checksumOf(h).toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/** The entry a header announces, or null if the block is not a sound tar header. */
export function parseTarHeader(h: Buffer): { name: string; size: number } | null {
  if (h.length !== BLOCK || h.toString('ascii', 257, 262) !== 'ustar') return null;
  const stored = parseInt(h.toString('ascii', 148, 156).replace(/[\0 ]+$/, ''), 8);
  if (stored !== checksumOf(h)) return null;
  const size = readSize(h);
  if (!Number.isSafeInteger(size)) return null;
  return { name: h.toString('utf8', 0, 100).replace(/\0.*$/s, ''), size };
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** SHA-256 and size of a file, read in chunks (a server's dump may be larger than memory). */
export async function hashFile(path: string, start = 0, bytes?: number): Promise<string> {
  const hash = createHash('sha256');
  const end = bytes === undefined ? undefined : start + bytes - 1;
  if (bytes === 0) return hash.digest('hex');
  for await (const chunk of fs.createReadStream(path, { start, ...(end === undefined ? {} : { end }) })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

export type Payload = { name: string; data: Uint8Array } | { name: string; file: string };

/**
 * Writes the backup to `path` (refusing an existing file): the manifest, then the payload (bytes in
 * memory, or a file copied in chunks). The manifest's payload fields are filled in here.
 */
export async function writeBackupFile(
  path: string,
  manifest: Omit<BackupManifest, 'payload'>,
  payload: Payload,
): Promise<BackupManifest> {
  if (fs.existsSync(path)) throw new BackupFileError(`${path} already exists; choose a new file name.`);
  const bytes = 'data' in payload ? payload.data.byteLength : fs.statSync(payload.file).size;
  const sha256 =
    'data' in payload
      ? createHash('sha256').update(payload.data).digest('hex')
      : await hashFile(payload.file);
  const full: BackupManifest = { ...manifest, payload: { name: payload.name, bytes, sha256 } };
  const json = Buffer.from(JSON.stringify(full, null, 2) + '\n', 'utf8');
  const mtime = new Date(manifest.createdAt);
  const tmp = `${path}.partial-${process.pid}`;
  const fd = fs.openSync(tmp, 'wx', FILE_MODE);
  let open = true;
  try {
    const write = (b: Uint8Array) => fs.writeSync(fd, b);
    write(tarHeader(MANIFEST_NAME, json.length, mtime));
    write(json);
    write(Buffer.alloc(padding(json.length)));
    write(tarHeader(payload.name, bytes, mtime));
    if ('data' in payload) write(payload.data);
    else for await (const chunk of fs.createReadStream(payload.file)) write(chunk as Buffer);
    write(Buffer.alloc(padding(bytes) + 2 * BLOCK));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    open = false;
    // link, not rename: it fails if someone made `path` meanwhile, where rename would replace it.
    fs.linkSync(tmp, path);
  } finally {
    if (open) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
  }
  const dir = fs.openSync(dirname(path), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
  return full;
}

/** Where the payload lies in a backup file, and the manifest as written (still to be checked). */
export type OpenedBackup = { manifest: unknown; payload: { name: string; offset: number; bytes: number } };

const damaged = (path: string, why: string) =>
  new BackupFileError(`${path} is not a Mortar backup or is damaged (${why}). Nothing was changed.`);

/** Reads a backup's manifest and finds its payload; the payload's hash is checked by verifyPayload. */
export function openBackupFile(path: string): OpenedBackup {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    throw new BackupFileError(`Cannot read ${path}. Nothing was changed.`);
  }
  try {
    const total = fs.fstatSync(fd).size;
    const block = (offset: number, length = BLOCK) => {
      const b = Buffer.alloc(length);
      return fs.readSync(fd, b, 0, length, offset) === length ? b : null;
    };
    const first = block(0);
    const mh = first && parseTarHeader(first);
    if (!mh || mh.name !== MANIFEST_NAME || mh.size > 64 * 2 ** 20) throw damaged(path, 'no manifest');
    const body = block(BLOCK, mh.size);
    if (!body) throw damaged(path, 'the manifest is cut short');
    let manifest: unknown;
    try {
      manifest = JSON.parse(body.toString('utf8'));
    } catch {
      throw damaged(path, 'the manifest is not readable');
    }
    const at = BLOCK + mh.size + padding(mh.size);
    const second = block(at);
    const ph = second && parseTarHeader(second);
    if (!ph) throw damaged(path, 'no database in it');
    if (at + BLOCK + ph.size > total) throw damaged(path, 'the file is shorter than it should be');
    return { manifest, payload: { name: ph.name, offset: at + BLOCK, bytes: ph.size } };
  } finally {
    fs.closeSync(fd);
  }
}

/** Refuses a payload whose size or SHA-256 differs from the manifest's: a damaged or altered backup. */
export async function verifyPayload(
  path: string,
  found: OpenedBackup['payload'],
  expected: BackupManifest['payload'],
): Promise<void> {
  if (found.name !== expected.name || found.bytes !== expected.bytes) {
    throw damaged(path, 'the database in it is not the one its manifest describes');
  }
  if ((await hashFile(path, found.offset, found.bytes)) !== expected.sha256) {
    throw damaged(path, 'the database in it does not match its checksum');
  }
}

/** The payload's bytes (the embedded database: PGlite takes it as a Blob). */
export function readPayload(path: string, payload: OpenedBackup['payload']): Uint8Array<ArrayBuffer> {
  const fd = fs.openSync(path, 'r');
  try {
    const b = new Uint8Array(payload.bytes);
    fs.readSync(fd, b, 0, payload.bytes, payload.offset);
    return b;
  } finally {
    fs.closeSync(fd);
  }
}

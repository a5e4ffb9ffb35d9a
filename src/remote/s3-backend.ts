import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ByteCounter, RemoteBackend, RemoteEntry } from './backend.js';
import { isNotFound, s3Failure } from './s3-errors.js';
import type { S3RemoteSpec } from './spec.js';

type Sdk = typeof import('@aws-sdk/client-s3');

/** Objects above this size are sent as multipart uploads; below, one PUT from memory. */
export const MULTIPART_THRESHOLD = 8 * 1024 * 1024;
const MIN_PART_SIZE = 8 * 1024 * 1024;
const MAX_PARTS = 10_000; // S3's limit
/** Parts of one large object sent at once. */
const PART_QUEUE = 4;
const DELETE_BATCH = 1000; // S3's limit per DeleteObjects

/**
 * An S3 bucket (AWS or any S3-compatible server) through @aws-sdk/client-s3, with keys below the
 * remote's prefix. PUT and CompleteMultipartUpload make an object visible whole or not at all.
 * Timeouts and retries are bounded, so a dead endpoint fails in a known time.
 */
export class S3Backend implements RemoteBackend {
  readonly name: string;
  readonly location: string;
  readonly pageSize = 1000;
  private readonly secrets: string[];
  private checked: Promise<void> | undefined;

  private constructor(
    private readonly spec: S3RemoteSpec,
    private readonly sdk: Sdk,
    private readonly client: S3Client,
  ) {
    this.name = spec.name;
    this.location = spec.location;
    const c = spec.credentials;
    this.secrets = c ? [c.accessKeyId, c.secretAccessKey, ...(c.sessionToken !== undefined ? [c.sessionToken] : [])] : [];
  }

  static async open(spec: S3RemoteSpec, jobs: number): Promise<S3Backend> {
    // The SDK warns on stderr about future Node versions on every run; dvcts supports Node 20.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const sdk = await import('@aws-sdk/client-s3');
    const agent = { keepAlive: true, maxSockets: Math.max(jobs * PART_QUEUE, 16) };
    const client = new sdk.S3Client({
      region: spec.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      ...(spec.endpoint !== undefined ? { endpoint: spec.endpoint } : {}),
      forcePathStyle: spec.pathStyle,
      followRegionRedirects: true,
      ...(spec.credentials !== undefined ? { credentials: spec.credentials } : {}),
      ...(spec.profile !== undefined ? { profile: spec.profile } : {}),
      maxAttempts: spec.retries + 1,
      requestHandler: { connectionTimeout: spec.connectTimeoutMs, socketTimeout: spec.readTimeoutMs, httpAgent: agent, httpsAgent: agent },
      // Checksums only where S3 requires them: S3-compatible servers do not all read the newer trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return new S3Backend(spec, sdk, client);
  }

  private keyOf(key: string): string {
    return this.spec.prefix === '' ? key : `${this.spec.prefix}/${key}`;
  }

  /**
   * One cheap request before the first real one, so a wrong bucket or credentials gives one clear
   * error instead of a 404 read as "object absent".
   */
  private ready(): Promise<void> {
    const probe = new this.sdk.ListObjectsV2Command({ Bucket: this.spec.bucket, Prefix: this.keyOf(''), MaxKeys: 1 });
    this.checked ??= this.call('reach the bucket', () => this.client.send(probe)).then(() => undefined);
    return this.checked;
  }

  /** Runs one SDK call; its failure becomes an E_REMOTE_* error (secrets blanked). */
  private async call<T>(action: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (e) {
      throw s3Failure(this, this.spec.bucket, action, e, this.secrets);
    }
  }

  /** Like call, but a missing key is `undefined` instead of an error. */
  private async callOrMissing<T>(action: string, request: () => Promise<T>): Promise<T | undefined> {
    await this.ready();
    try {
      return await request();
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw s3Failure(this, this.spec.bucket, action, e, this.secrets);
    }
  }

  /** Buckets are not created: that needs rights and choices (region, policy) that are the owner's. */
  async prepareWrite(): Promise<void> {
    await this.ready();
  }

  async *list(prefix: string): AsyncIterable<readonly RemoteEntry[]> {
    await this.ready();
    const strip = this.keyOf('').length;
    let token: string | undefined;
    do {
      const command = new this.sdk.ListObjectsV2Command({ Bucket: this.spec.bucket, Prefix: this.keyOf(prefix), ...(token !== undefined ? { ContinuationToken: token } : {}) });
      const page = await this.call(`list '${prefix}'`, () => this.client.send(command));
      yield (page.Contents ?? []).map((o) => ({ key: (o.Key ?? '').slice(strip), size: o.Size ?? 0, modifiedMs: o.LastModified?.getTime() ?? 0 }));
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async exists(key: string): Promise<boolean> {
    const command = new this.sdk.HeadObjectCommand({ Bucket: this.spec.bucket, Key: this.keyOf(key) });
    return (await this.callOrMissing(`check '${key}'`, () => this.client.send(command))) !== undefined;
  }

  /** The GET of a key, or undefined when it is absent. */
  private getObject(key: string): Promise<import('@aws-sdk/client-s3').GetObjectCommandOutput | undefined> {
    const command = new this.sdk.GetObjectCommand({ Bucket: this.spec.bucket, Key: this.keyOf(key) });
    return this.callOrMissing(`read '${key}'`, () => this.client.send(command));
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    const out = await this.getObject(key);
    if (out === undefined) return undefined;
    return this.call(`read '${key}'`, () => out.Body!.transformToByteArray());
  }

  async download(key: string, dest: string, onBytes?: ByteCounter): Promise<boolean> {
    const out = await this.getObject(key);
    if (out === undefined) return false;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        onBytes?.(chunk.length);
        done(null, chunk);
      },
    });
    await this.call(`read '${key}'`, () => pipeline(out.Body as Readable, counter, createWriteStream(dest, { flags: 'wx' })));
    return true;
  }

  async write(key: string, data: Uint8Array): Promise<void> {
    await this.ready();
    const command = new this.sdk.PutObjectCommand({ Bucket: this.spec.bucket, Key: this.keyOf(key), Body: data });
    await this.call(`write '${key}'`, () => this.client.send(command));
  }

  async upload(key: string, src: string, size: number, onBytes?: ByteCounter): Promise<void> {
    if (size <= MULTIPART_THRESHOLD) {
      await this.write(key, await readFile(src));
      onBytes?.(size);
      return;
    }
    await this.ready();
    const { Upload } = await import('@aws-sdk/lib-storage');
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.spec.bucket, Key: this.keyOf(key), Body: createReadStream(src) },
      partSize: Math.max(MIN_PART_SIZE, Math.ceil(size / MAX_PARTS)),
      queueSize: PART_QUEUE,
      leavePartsOnError: false, // a failed upload is aborted: no invisible parts left to pay for
    });
    let reported = 0;
    upload.on('httpUploadProgress', (p) => {
      const loaded = p.loaded ?? reported;
      onBytes?.(loaded - reported);
      reported = loaded;
    });
    await this.call(`write '${key}'`, () => upload.done());
    if (reported < size) onBytes?.(size - reported);
  }

  async remove(keys: readonly string[]): Promise<void> {
    await this.ready();
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH).map((k) => ({ Key: this.keyOf(k) }));
      const command = new this.sdk.DeleteObjectsCommand({ Bucket: this.spec.bucket, Delete: { Objects: batch, Quiet: true } });
      const out = await this.call('remove objects', () => this.client.send(command));
      const failed = out.Errors ?? [];
      if (failed.length > 0) {
        throw s3Failure(this, this.spec.bucket, 'remove objects', { name: failed[0]!.Code, message: `${failed.length} key(s) not removed, e.g. ${failed[0]!.Key}: ${failed[0]!.Message}` }, this.secrets);
      }
    }
  }

  async sweepIncomplete(olderThanMs: number): Promise<number> {
    await this.ready();
    let uploads: import('@aws-sdk/client-s3').ListMultipartUploadsCommandOutput;
    try {
      uploads = await this.client.send(new this.sdk.ListMultipartUploadsCommand({ Bucket: this.spec.bucket, Prefix: this.keyOf('') }));
    } catch (e) {
      if ((e as { name?: string }).name === 'NotImplemented') return 0; // some S3-compatible servers
      throw s3Failure(this, this.spec.bucket, 'list unfinished uploads', e, this.secrets);
    }
    let swept = 0;
    for (const u of uploads.Uploads ?? []) {
      if (u.Key === undefined || u.UploadId === undefined || Date.now() - (u.Initiated?.getTime() ?? Date.now()) < olderThanMs) continue;
      const command = new this.sdk.AbortMultipartUploadCommand({ Bucket: this.spec.bucket, Key: u.Key, UploadId: u.UploadId });
      await this.call('abort an unfinished upload', () => this.client.send(command));
      swept++;
    }
    return swept;
  }

  close(): void {
    this.client.destroy();
  }
}

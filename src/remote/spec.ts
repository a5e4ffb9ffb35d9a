import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { didYouMean } from '../core/suggest.js';
import { remoteConfigError } from './errors.js';

/** Options every remote understands, then those of S3; `secret` ones live only in config.local.yaml. */
export const REMOTE_OPTIONS = {
  url: { kinds: ['local', 's3'], type: 'string', secret: false, help: 'a folder (/path, file:///path, or relative to the project root) or s3://bucket/prefix' },
  jobs: { kinds: ['local', 's3'], type: 'int', secret: false, help: 'objects transferred at once (default: 4 x cores)' },
  endpoint: { kinds: ['s3'], type: 'string', secret: false, help: 'URL of an S3-compatible server (MinIO, Ceph, s3rver, ...)' },
  region: { kinds: ['s3'], type: 'string', secret: false, help: 'bucket region (default: AWS_REGION, else us-east-1)' },
  path_style: { kinds: ['s3'], type: 'bool', secret: false, help: 'address buckets as endpoint/bucket (default: true with an endpoint)' },
  profile: { kinds: ['s3'], type: 'string', secret: false, help: 'named profile of ~/.aws/credentials and ~/.aws/config' },
  access_key_id: { kinds: ['s3'], type: 'string', secret: true, help: 'credentials (else the AWS environment variables or profile)' },
  secret_access_key: { kinds: ['s3'], type: 'string', secret: true, help: '' },
  session_token: { kinds: ['s3'], type: 'string', secret: true, help: '' },
  connect_timeout: { kinds: ['s3'], type: 'seconds', secret: false, help: 'seconds to wait for a connection (default 10)' },
  read_timeout: { kinds: ['s3'], type: 'seconds', secret: false, help: 'seconds a connection may stay silent (default 60)' },
  retries: { kinds: ['s3'], type: 'count', secret: false, help: 'retries of a failed request (default 3)' },
} as const;

export type RemoteOption = keyof typeof REMOTE_OPTIONS;
export type RemoteKind = 'local' | 's3';

export function isRemoteOption(key: string): key is RemoteOption {
  return Object.hasOwn(REMOTE_OPTIONS, key);
}

export function isSecretOption(key: string): boolean {
  return isRemoteOption(key) && REMOTE_OPTIONS[key].secret;
}

interface RemoteBase {
  readonly name: string;
  /** Where the remote is, for messages: the URL as configured (it never holds credentials). */
  readonly location: string;
  /** Objects transferred at once, when the remote sets it. */
  readonly jobs?: number;
}

export interface LocalRemoteSpec extends RemoteBase {
  readonly kind: 'local';
  /** Absolute path of the remote's folder. */
  readonly path: string;
}

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface S3RemoteSpec extends RemoteBase {
  readonly kind: 's3';
  readonly bucket: string;
  /** Key prefix without leading or trailing slash ('' for the bucket root). */
  readonly prefix: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly pathStyle: boolean;
  readonly profile?: string;
  readonly credentials?: S3Credentials;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly retries: number;
}

export type RemoteSpec = LocalRemoteSpec | S3RemoteSpec;

/** `s3://bucket/prefix`, a file:// URL, or a path; anything else is refused. */
export function kindOfUrl(url: string, where: string): RemoteKind {
  if (url.startsWith('s3://')) return 's3';
  if (url.startsWith('file://') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return 'local';
  const shown = url.replace(/\/\/[^/@]*@/, '//***@'); // never echo credentials written into a URL
  throw remoteConfigError(where, `unsupported remote URL '${shown}'`, 'use a folder path, file:///path or s3://bucket/prefix');
}

/**
 * Builds a remote from its settings (shared config merged with config.local.yaml). `root`
 * resolves relative folder URLs; `where` names the config for messages. Every key and value is
 * checked: a misspelt option is an error, not silently ignored.
 */
export function remoteSpecOf(
  name: string,
  settings: Readonly<Record<string, unknown>>,
  root: string,
  where: string,
  opts: { partialCredentials?: boolean } = {},
): RemoteSpec {
  const url = settings.url;
  if (typeof url !== 'string' || url === '') throw remoteConfigError(where, `remote '${name}' has no url`, `set it with \`dvcts remote modify ${name} url URL\``);
  const kind = kindOfUrl(url, where);
  const value = (key: RemoteOption): unknown => checkOption(name, kind, key, settings[key], where);
  for (const key of Object.keys(settings)) {
    if (!isRemoteOption(key)) {
      const hint = didYouMean(key, Object.keys(REMOTE_OPTIONS)) ?? `options: ${Object.keys(REMOTE_OPTIONS).join(', ')}`;
      throw remoteConfigError(where, `remote '${name}' has an unknown option '${key}'`, hint);
    }
    value(key);
  }
  const jobs = value('jobs') as number | undefined;
  const base = { name, location: url, ...(jobs !== undefined ? { jobs } : {}) };
  if (kind === 'local') return { ...base, kind, path: localPathOf(url, root, where) };
  const { bucket, prefix } = parseS3Url(url, where);
  const endpoint = value('endpoint') as string | undefined;
  const accessKeyId = value('access_key_id') as string | undefined;
  const secretAccessKey = value('secret_access_key') as string | undefined;
  const sessionToken = value('session_token') as string | undefined;
  // While credentials are being set one `remote modify` at a time, half a pair is allowed.
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined) && !opts.partialCredentials) {
    throw remoteConfigError(where, `remote '${name}' needs both access_key_id and secret_access_key`);
  }
  const optional = <T>(key: string, v: T | undefined): Record<string, T> => (v === undefined ? {} : { [key]: v });
  return {
    ...base,
    kind,
    bucket,
    prefix,
    ...optional('endpoint', endpoint),
    ...optional('region', value('region') as string | undefined),
    ...optional('profile', value('profile') as string | undefined),
    pathStyle: (value('path_style') as boolean | undefined) ?? endpoint !== undefined,
    ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { credentials: { accessKeyId, secretAccessKey, ...optional('sessionToken', sessionToken) } } : {}),
    connectTimeoutMs: ((value('connect_timeout') as number | undefined) ?? 10) * 1000,
    readTimeoutMs: ((value('read_timeout') as number | undefined) ?? 60) * 1000,
    retries: (value('retries') as number | undefined) ?? 3,
  };
}

/** Checks one option's kind and type; returns the value (undefined when unset). */
function checkOption(name: string, kind: RemoteKind, key: RemoteOption, raw: unknown, where: string): unknown {
  if (raw === undefined || raw === null) return undefined;
  const option = REMOTE_OPTIONS[key];
  if (!(option.kinds as readonly string[]).includes(kind)) {
    throw remoteConfigError(where, `option '${key}' of remote '${name}' applies to ${option.kinds.join('/')} remotes, not ${kind} ones`);
  }
  const bad = (expected: string): never => {
    throw remoteConfigError(where, `option '${key}' of remote '${name}' must be ${expected} (got ${JSON.stringify(raw)})`);
  };
  switch (option.type) {
    case 'string':
      return typeof raw === 'string' && raw !== '' ? raw : bad('a non-empty string');
    case 'bool':
      return typeof raw === 'boolean' ? raw : bad('true or false');
    case 'int':
      return Number.isInteger(raw) && (raw as number) >= 1 ? raw : bad('a positive integer');
    case 'count':
      return Number.isInteger(raw) && (raw as number) >= 0 ? raw : bad('an integer >= 0');
    case 'seconds':
      return typeof raw === 'number' && raw > 0 && Number.isFinite(raw) ? raw : bad('a number of seconds > 0');
  }
}

/**
 * Reads a value given on the command line (`remote modify NAME KEY VALUE`) as the option's type,
 * so `jobs 8` is stored as a number and `path_style false` as a boolean.
 */
export function parseOptionValue(key: RemoteOption, text: string): unknown {
  switch (REMOTE_OPTIONS[key].type) {
    case 'bool':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'int':
    case 'count':
    case 'seconds':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    default:
      return text;
  }
}

function localPathOf(url: string, root: string, where: string): string {
  if (!url.startsWith('file://')) return isAbsolute(url) ? url : resolve(root, url);
  try {
    return fileURLToPath(url);
  } catch (e) {
    throw remoteConfigError(where, `invalid file URL '${url}': ${(e as Error).message}`, 'use file:///absolute/path');
  }
}

// S3's bucket naming rules (the subset every S3-compatible server accepts).
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Url(url: string, where: string): { bucket: string; prefix: string } {
  const rest = url.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/^\/+|\/+$/g, '');
  if (bucket.includes('@')) {
    throw remoteConfigError(where, `remote URLs may not hold credentials ('${bucket.slice(bucket.indexOf('@'))}...')`, 'set access_key_id and secret_access_key with `dvcts remote modify --local`');
  }
  if (!BUCKET_RE.test(bucket)) {
    throw remoteConfigError(where, `'${bucket}' in '${url}' is not a valid bucket name`, 'bucket names have 3-63 characters: lowercase letters, digits, dots and hyphens');
  }
  if (prefix.split('/').some((part) => part === '.' || part === '..')) throw remoteConfigError(where, `the key prefix of '${url}' may not contain '.' or '..'`);
  return { bucket, prefix };
}

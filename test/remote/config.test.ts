import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';
import { cleanUpAfterEach, errorCode, RemoteProject } from './project.js';

const track = cleanUpAfterEach();

describe('remote configuration', () => {
  it('add, modify, default, list and remove edit the shared config; credentials go only to the 0600 local config, which git ignores', () => {
    const p = track(RemoteProject.create());
    p.dvcts('remote', 'add', 'store', '/srv/dvcts-store').expectOk();
    p.dvcts('remote', 'add', '-d', 'cloud', 's3://team-bucket/datasets/project').expectOk();
    p.dvcts('remote', 'modify', 'cloud', 'endpoint', 'http://127.0.0.1:9000').expectOk();
    p.dvcts('remote', 'modify', 'cloud', 'jobs', '16').expectOk();
    p.dvcts('remote', 'modify', 'cloud', 'path_style', 'false').expectOk();
    const secret = p.dvcts('remote', 'modify', 'cloud', 'secret_access_key', 'TOPSECRET-value-1').expectOk();
    expect(secret.stderr).toContain('kept in .dvcts/config.local.yaml');
    p.dvcts('remote', 'modify', 'cloud', 'access_key_id', 'AKIAEXAMPLEKEY').expectOk();

    expect(p.read('.dvcts/config.yaml')).toContain(
      'remote:\n  store:\n    url: /srv/dvcts-store\n  cloud:\n    url: s3://team-bucket/datasets/project\n    endpoint: http://127.0.0.1:9000\n    jobs: 16\n    path_style: false\ncore:\n  remote: cloud\n',
    );
    expect(p.read('.dvcts/config.yaml')).not.toContain('TOPSECRET');
    expect(p.read('.dvcts/config.local.yaml')).toContain('remote:\n  cloud:\n    secret_access_key: TOPSECRET-value-1\n    access_key_id: AKIAEXAMPLEKEY\n');
    expect(statSync(p.path('.dvcts/config.local.yaml')).mode & 0o777).toBe(0o600);
    expect(p.git('status', '--porcelain', '--ignored', '.dvcts')).toMatch(/^!! \.dvcts\/config\.local\.yaml$/m);

    const list = p.dvcts('remote', 'list').expectOk().stdout;
    expect(list).toBe(
      'cloud\ts3://team-bucket/datasets/project\t(default)\tendpoint=http://127.0.0.1:9000  jobs=16  path_style=false  credentials: secret_access_key, access_key_id (in .dvcts/config.local.yaml)\n' +
        'store\t/srv/dvcts-store\n',
    );
    expect(p.dvcts('remote', 'default').expectOk().stdout).toBe('cloud\n');
    p.dvcts('remote', 'remove', 'cloud').expectOk();
    expect(p.read('.dvcts/config.yaml')).not.toContain('cloud');
    expect(p.read('.dvcts/config.local.yaml')).not.toContain('TOPSECRET');
    expect(p.dvcts('remote', 'default').expectOk().stdout).toBe('No default remote\n');
  });

  it('refuses bad names, URLs, options and values, unknown remotes, and credentials found in the shared config', () => {
    const p = track(TempProject.init());
    const fails = (args: string[], code: string, text: string): string => {
      const r = p.dvcts(...args);
      expect(r.code, r.stderr).toBe(2);
      expect(errorCode(r.stderr)).toBe(code);
      expect(r.stderr).toContain(text);
      expect(r.stderr).not.toContain('    at '); // no stack trace
      return r.stderr;
    };
    fails(['push'], 'E_REMOTE_NONE', 'no remote is configured');
    fails(['remote', 'add', 'x', 'gs://bucket/p'], 'E_REMOTE_CONFIG_INVALID', "unsupported remote URL 'gs://bucket/p'");
    fails(['remote', 'add', 'x', 's3://AB/p'], 'E_REMOTE_CONFIG_INVALID', "'AB' in 's3://AB/p' is not a valid bucket name");
    expect(fails(['remote', 'add', 'x', 's3://KEY:SECRETXYZ@bucket/p'], 'E_REMOTE_CONFIG_INVALID', 'may not hold credentials')).not.toContain('SECRETXYZ');
    fails(['remote', 'add', 'bad name', '/tmp/x'], 'E_REMOTE_CONFIG_INVALID', "'bad name' is not a valid remote name");
    p.dvcts('remote', 'add', 'store', '/tmp/dvcts-remote-never-used').expectOk();
    fails(['remote', 'add', 'store', '/tmp/other'], 'E_REMOTE_EXISTS', "a remote named 'store' already exists");
    fails(['remote', 'modify', 'store', 'endpont', 'http://x'], 'E_REMOTE_CONFIG_INVALID', 'did you mean "endpoint"?');
    fails(['remote', 'modify', 'store', 'jobs', 'many'], 'E_REMOTE_CONFIG_INVALID', "option 'jobs' of remote 'store' must be a positive integer (got \"many\")");
    fails(['remote', 'modify', 'store', 'endpoint', 'http://x'], 'E_REMOTE_CONFIG_INVALID', 'applies to s3 remotes, not local ones');
    fails(['push', '-r', 'stor'], 'E_REMOTE_UNKNOWN', 'did you mean "store"?');
    fails(['remote', 'remove', 'nope'], 'E_REMOTE_UNKNOWN', "no remote named 'nope' (configured: store)");

    // A secret written into the committed config by hand is refused, without echoing it.
    p.write({ '.dvcts/config.yaml': 'remote:\n  cloud:\n    url: s3://bucket/x\n    secret_access_key: LEAKED-SECRET-42\n' });
    const leaked = fails(['push', '-r', 'cloud'], 'E_REMOTE_CONFIG_INVALID', "remote 'cloud' has credentials (secret_access_key) in the shared config");
    expect(leaked).not.toContain('LEAKED-SECRET-42');
  });
});

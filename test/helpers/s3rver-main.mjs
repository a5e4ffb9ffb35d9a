// Runs s3rver on 127.0.0.1 (a free port) in its own process, so tests can drive the CLI with
// spawnSync while the server answers. Every request line ("METHOD /path?query") is appended to
// LOG, so tests can see how a client talked to it (e.g. the parts of a multipart upload).
// Prints one JSON line {"port": N} when it listens. Usage: node s3rver-main.mjs DIR LOG BUCKET...
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import S3rver from 's3rver';

const [dir, log, ...buckets] = process.argv.slice(2);
const s3 = new S3rver({ silent: true, directory: dir, configureBuckets: buckets.map((name) => ({ name })) });
await s3.configureBuckets();
const handle = s3.getMiddleware();
const http = createServer((req, res) => {
  appendFileSync(log, `${req.method} ${req.url}\n`);
  handle(req, res);
});
http.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: http.address().port })}\n`));

// The least a no-op `status` of a tracked folder must do in Node.js: list every folder and stat
// every file (no hashing, no state, no output). `node bench/_status-floor.mjs DIR`
import { readdirSync, statSync } from 'node:fs';

function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(path);
    else statSync(path);
  }
}
walk(process.argv[2]);

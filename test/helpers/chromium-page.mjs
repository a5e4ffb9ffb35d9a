// Loads a page in a real headless Chromium through the DevTools protocol and prints, as JSON, what
// a test needs: console messages by level, uncaught exceptions, every network request, values
// the page computed, and a PNG screenshot written to a file.
// Usage: node --experimental-websocket chromium-page.mjs <url> <screenshot.png> <ready-expression> <expressions-json>
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot, ready, expressionsJson] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'dvcts-chromium-'));
// Chromium puts its singleton socket in a folder of its own under TMPDIR and leaves it: inside the
// profile, it goes with the profile.
const chromeTmp = join(profile, 'tmp');
mkdirSync(chromeTmp);
const chrome = spawn('/usr/bin/chromium', [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', `--user-data-dir=${profile}`, '--remote-debugging-port=0', '--window-size=1100,1500', 'about:blank',
], { stdio: 'ignore', detached: true, env: { ...process.env, TMPDIR: chromeTmp } }); // its own process group: the helpers are stopped with it
const result = { console: [], exceptions: [], requests: [], values: {} };
try {
  const port = await waitFor(() => readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
  const targets = await waitFor(async () => (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()).filter((t) => t.type === 'page'));
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
  let id = 0;
  const pending = new Map();
  const send = (method, params = {}) => new Promise((ok, fail) => { pending.set(++id, { ok, fail }); ws.send(JSON.stringify({ id, method, params })); });
  ws.onmessage = ({ data }) => {
    const m = JSON.parse(data);
    if (m.id && pending.has(m.id)) (m.error ? pending.get(m.id).fail(new Error(m.error.message)) : pending.get(m.id).ok(m.result), pending.delete(m.id));
    else if (m.method === 'Runtime.consoleAPICalled') result.console.push({ level: m.params.type, text: m.params.args.map((a) => a.value ?? a.description).join(' ') });
    else if (m.method === 'Runtime.exceptionThrown') result.exceptions.push(m.params.exceptionDetails.exception?.description ?? m.params.exceptionDetails.text);
    else if (m.method === 'Log.entryAdded') result.console.push({ level: m.params.entry.level, text: m.params.entry.text });
    else if (m.method === 'Network.requestWillBeSent') result.requests.push(m.params.request.url);
  };
  await Promise.all([send('Runtime.enable'), send('Log.enable'), send('Network.enable'), send('Page.enable')]);
  await send('Page.navigate', { url });
  const evaluate = async (expression) => (await send('Runtime.evaluate', { expression, returnByValue: true })).result.value;
  await waitFor(async () => (await evaluate(ready)) || undefined, 30000);
  for (const [name, expression] of Object.entries(JSON.parse(expressionsJson))) result.values[name] = await evaluate(expression);
  const shot = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true });
  writeFileSync(screenshot, Buffer.from(shot.data, 'base64'));
  ws.close();
} finally {
  // Chromium's helper processes (renderer, GPU, crashpad) write the profile too: the whole group goes.
  const exited = chrome.exitCode !== null || chrome.signalCode !== null ? Promise.resolve() : new Promise((ok) => chrome.once('exit', ok));
  try {
    process.kill(-chrome.pid, 'SIGKILL');
  } catch {}
  await exited;
  rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
}
process.stdout.write(JSON.stringify(result));

async function waitFor(probe, ms = 20000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) return value;
    } catch {}
    if (Date.now() > until) throw new Error(`timed out waiting (${probe})`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

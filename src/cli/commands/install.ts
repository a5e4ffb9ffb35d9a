import { fileURLToPath } from 'node:url';
import { install } from '../../api/install.js';

export async function installCommand(): Promise<void> {
  // The hooks run exactly this node and this dvcts, whatever PATH git gives them.
  const results = await install({ node: process.execPath, main: fileURLToPath(new URL('../main.js', import.meta.url)) });
  for (const r of results) process.stdout.write(`${r.hook}: ${r.action} (${r.path})\n`);
}

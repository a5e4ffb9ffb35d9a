import { install } from '../../api/install.js';

export async function installCommand(): Promise<void> {
  // The hooks run exactly this node and this installation's bundled dvcts, whatever PATH git gives them.
  const results = await install({ node: process.execPath });
  for (const r of results) process.stdout.write(`${r.hook}: ${r.action} (${r.path})\n`);
}

import { unprotect } from '../../api/unprotect.js';

export async function unprotectCommand(paths: string[]): Promise<void> {
  for (const path of await unprotect({ paths })) process.stdout.write(`unprotected ${path}\n`);
}

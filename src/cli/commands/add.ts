import { add } from '../../api/add.js';

export async function addCommand(paths: string[], opts: { wait: boolean }): Promise<void> {
  const added = await add({ paths, wait: opts.wait, onWait: (holder) => process.stderr.write(`waiting for ${holder} to release the project lock...\n`) });
  for (const a of added) {
    const what = a.info.nfiles !== undefined ? `${a.info.nfiles} files, ${a.info.size} bytes` : `${a.info.size} bytes`;
    process.stdout.write(`Added ${a.path} (${what}) -> ${a.pointer}\n`);
  }
  const gitignores = [...new Set(added.flatMap((a) => a.gitignores))];
  const pointers = added.map((a) => a.pointer);
  if (added.length > 0) process.stdout.write(`\nTo track the changes with git, run:\n\n    git add ${[...pointers, ...gitignores].join(' ')}\n`);
}

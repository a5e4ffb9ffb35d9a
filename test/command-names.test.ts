import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from './helpers/project.js';

/**
 * No hint, message or README line names a command that does not exist (hints once said
 * `dvcts pull` before there was one). The commands come from `dvcts --help` as a user sees it;
 * the mentions are every `dvcts WORD` written as a command: in backticks, in brackets of its own
 * (`(dvcts pull)`), after "run " or "$ ", or starting a line of a README code block. Prose
 * (`dvcts only hashes them`, "(dvcts creates it") is not a mention.
 */
const REPO = resolve(import.meta.dirname, '..');

function help(...args: string[]): string[] {
  const r = spawnSync(process.execPath, [CLI, ...args, '--help'], { encoding: 'utf8' });
  const section = r.stdout.split('\nCommands:\n')[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

/** SUB is checked only where a second word is surely part of the command (backticks, code). */
const IN_TEXT = /(`|\brun |\$ )dvcts ([a-z][a-z-]*)( [a-z][a-z-]*)?|\(dvcts ([a-z][a-z-]*)\)/g;
const CODE_LINE = /^(?:\$ )?dvcts ([a-z][a-z-]*)( [a-z][a-z-]*)?/;

function mentions(file: string): { where: string; command: string; sub?: string }[] {
  const found: { where: string; command: string; sub?: string }[] = [];
  let inCode = false;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const where = `${relative(REPO, file)}:${i + 1}`;
      if (file.endsWith('.md') && line.startsWith('```')) inCode = !inCode;
      const code = inCode ? CODE_LINE.exec(line) : null;
      if (code) found.push({ where, command: code[1]!, ...(code[2] ? { sub: code[2].trim() } : {}) });
      for (const m of line.matchAll(IN_TEXT)) {
        const sub = m[1] === '`' || m[1] === '$ ' ? m[3]?.trim() : undefined;
        found.push({ where, command: (m[2] ?? m[4])!, ...(sub !== undefined ? { sub } : {}) });
      }
    });
  return found;
}

describe('command names in hints and the README', () => {
  it('every `dvcts WORD` in src/ and README.md is a command (and `dvcts GROUP SUB` a subcommand)', () => {
    const commands = help();
    expect(commands).toEqual(expect.arrayContaining(['repro', 'add', 'checkout', 'pull', 'remote']));
    const found = [...sourceFiles(join(REPO, 'src')), join(REPO, 'README.md')].flatMap(mentions);
    expect(found.length).toBeGreaterThan(100);
    // Subcommands of the commands that are mentioned with a second word (one --help each).
    const subsOf = new Map([...new Set(found.filter((m) => m.sub !== undefined && commands.includes(m.command)).map((m) => m.command))].map((c) => [c, help(c)]));
    expect(subsOf.get('remote')).toEqual(['add', 'list', 'remove', 'modify', 'default']);
    const isSub = (command: string, sub: string): boolean => (subsOf.get(command) ?? []).length === 0 || subsOf.get(command)!.includes(sub);
    const wrong = found.filter((m) => !commands.includes(m.command) || (m.sub !== undefined && !isSub(m.command, m.sub)));
    expect(wrong.map((m) => `${m.where}: dvcts ${m.command}${m.sub ? ` ${m.sub}` : ''}`)).toEqual([]);
  });
});

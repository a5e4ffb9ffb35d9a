import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from './helpers/project.js';

/**
 * No hint, message or README line names a command that does not exist (hints once said
 * `dvcts pull` before there was one). The commands come from `dvcts --help` as a user sees it;
 * the mentions are every `dvcts WORD` written as a command: after a backtick, a bracket, "run ",
 * "$ ", or at the start of a line (README code blocks).
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

/** `dvcts WORD [SUB]` written as a command; SUB only inside backticks (prose goes on after a word). */
const MENTION = /(`|\(|\brun |\$ |^)dvcts ([a-z][a-z-]*)( [a-z][a-z-]*)?/gm;

function mentions(file: string): { where: string; command: string; sub?: string }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(MENTION)].map((m) => {
    const line = text.slice(0, m.index).split('\n').length;
    const sub = m[1] === '`' || m[1] === '' || m[1] === '$ ' ? m[3]?.trim() : undefined;
    return { where: `${relative(REPO, file)}:${line}`, command: m[2]!, ...(sub !== undefined ? { sub } : {}) };
  });
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

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('one command line', () => {
  it.each(['ask', 'chat', 'eval', 'build-index', 'fetch-model', 'check-config', 'add-article'])('%s --help prints its usage, plain when captured, and exits 0', async (command) => {
    const { code, stdout } = await runCli({ args: [command, '--help'] });
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^USAGE dushanbe-quotes ${command}\\b`, 'm'));
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it('loads nothing from bench/ (the development commands have their own entry point)', async () => {
    const files = (await readdir('src', { recursive: true })).filter((f) => f.endsWith('.ts'));
    const importsBench = await Promise.all(files.map(async (f) => /['"`](?:\.\.?\/)*bench\//.test(await readFile(join('src', f), 'utf8'))));
    expect(files.filter((_, i) => importsBench[i])).toEqual([]);
    expect(files.length).toBeGreaterThan(20);
  });

  it('--help alone lists every command', async () => {
    const { code, stdout } = await runCli({ args: ['--help'] });
    expect(code).toBe(0);
    for (const command of ['ask', 'chat', 'eval', 'build-index', 'fetch-model', 'check-config', 'add-article']) expect(stdout).toContain(command);
  });

  it.each([
    [['nope'], /^error: unknown command "nope"; the commands are ask, chat, eval, build-index, fetch-model, check-config, add-article\n$/],
    [[], /^error: a command is needed: ask, chat/],
    [['build-index', '--corpse', 'x'], /^error: unknown option --corpse; usage: dushanbe-quotes build-index/],
  ])('%j is one clear line and exit 1', async (args, message) => {
    const { code, stderr, stdout } = await runCli({ args });
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });

  it('check-config names every bad variable in one line', async () => {
    const { code, stderr } = await runCli({ args: ['check-config'], env: { RATE_LIMIT: 'x' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: invalid configuration: BOT_TOKEN is required.*; RATE_LIMIT must be a whole number/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

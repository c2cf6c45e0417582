import { describe, expect, it } from 'vitest';
import { INFO, answered, createHarness, fakeEngine, fixedEngines, snippet, USER } from '../support/bot-harness.js';
import type { ReloadResult } from '../../src/app/serving/engine-holder.js';
import { IndexError } from '../../src/core/errors.js';

const engine = () => fakeEngine(() => answered([snippet()]));

describe('commands', () => {
  it.each([
    { command: '/start', contains: ['Hello, Ann!', '<b>What I know</b>', 'Who founded BTK Group?'] },
    { command: '/help', contains: ['<b>How to ask</b>', '<code>/ask your question</code>', '@QuotesTestBot'] },
    { command: '/sources', contains: ['<b>Articles I quote (2)</b>', '<b>ThePrint (Reuters)</b>, 9 October 2025', 'undated, June 2022 visit'] },
    { command: '/about', contains: ['<code>test-model</code>', '2026-01-02 03:04 UTC', 'Articles: 2; passages (chunks): 7'] },
  ])('$command replies in HTML', async ({ command, contains }) => {
    const h = createHarness({ engines: fixedEngines(engine()) });
    await h.privateText(command);
    const [reply] = h.sent();
    expect(reply?.payload.parse_mode).toBe('HTML');
    for (const part of contains) expect(String(reply?.payload.text)).toContain(part);
  });
});

describe('/reload', () => {
  const withReload = (result: ReloadResult) => {
    let reloads = 0;
    const engines = fixedEngines(engine(), async () => {
      reloads++;
      return result;
    });
    return { engines, reloads: () => reloads };
  };

  it('tells everyone else that the command is for admins', async () => {
    const { engines, reloads } = withReload({ status: 'reloaded', build: 'b2', previousBuild: 'b1' });
    const h = createHarness({ engines, adminIds: [999] });
    await h.privateText('/reload');
    expect(reloads()).toBe(0);
    expect(h.texts()).toEqual(['Sorry, /reload is only for the bot’s admins.']);
  });

  it.each([
    { result: { status: 'reloaded', build: 'b2', previousBuild: 'b1' } as ReloadResult, expected: `Reloaded the index: now serving build <code>b2</code> (${INFO.articles} articles, ${INFO.chunks} chunks).` },
    { result: { status: 'unchanged', build: 'b1' } as ReloadResult, expected: 'The index has not changed: still serving build <code>b1</code> (2 articles, 7 chunks).' },
    {
      result: { status: 'failed', build: 'b1', error: new IndexError('manifest <bad> & broken; rebuild with npm run build-index') } as ReloadResult,
      expected: 'The new index could not be loaded, so I keep serving build <code>b1</code>.\nReason: manifest &lt;bad&gt; &amp; broken; rebuild with npm run build-index',
    },
    {
      result: { status: 'failed', build: 'b1', error: new TypeError('x is undefined at /srv/app/src/engine.ts:12') } as ReloadResult,
      expected: 'The new index could not be loaded, so I keep serving build <code>b1</code>.\nReason: an unexpected error; the log has the details',
    },
  ])('reloads for an admin in a private chat: $result.status', async ({ result, expected }) => {
    const { engines, reloads } = withReload(result);
    const h = createHarness({ engines, adminIds: [USER.id] });
    await h.privateText('/reload');
    expect(reloads()).toBe(1);
    expect(h.texts()).toEqual([expected]);
  });

  it('asks an admin to use a private chat when sent in a group', async () => {
    const { engines, reloads } = withReload({ status: 'unchanged', build: 'b1' });
    const h = createHarness({ engines, adminIds: [USER.id] });
    await h.groupText('/reload');
    expect(reloads()).toBe(0);
    expect(h.texts()).toEqual(['Please send /reload to me in a private chat.']);
  });
});

import { mb, ms, x, type TableRow } from './report.js';
import { ratio } from './stats.js';
import type { ModelResults } from './suite.js';
import type { QueryPathFigures } from './query-path.js';
import type { ReaderPathFigures } from './reader-path.js';
import type { StoreFigures } from './store-compare.js';

/** The table rows for one model's figures. */
export function rowsFor(results: ModelResults): TableRow[] {
  const rows: TableRow[] = [];
  const model = results.model;
  const row = (r: Omit<TableRow, 'model'>): void => void rows.push({ model, ...r });
  const queryRows = (part: string, q: QueryPathFigures, withTarget: boolean): void => {
    row({
      part,
      figure: 'answer p50',
      value: ms(q.engine.p50),
      anchor: `embed p50 ${ms(q.embed.p50)}`,
      ratio: x(q.ratioP50),
      target: withTarget ? '<= 1.5' : '',
      ...(withTarget ? { met: q.ratioP50 <= 1.5 } : {}),
    });
    row({ part, figure: 'answer p95', value: ms(q.engine.p95), anchor: `embed p95 ${ms(q.embed.p95)}`, ratio: x(ratio(q.engine.p95, q.embed.p95)), target: '' });
    row({ part, figure: 'answer p99', value: ms(q.engine.p99), anchor: `embed p99 ${ms(q.embed.p99)}`, ratio: x(ratio(q.engine.p99, q.embed.p99)), target: '' });
    const first = q.firstRound;
    if (first) row({ part, figure: 'answer p50, first round after start', value: ms(first.engine.p50), anchor: `embed p50 ${ms(first.embed.p50)}`, ratio: x(first.ratioP50), target: '' });
  };
  if (results.query) queryRows('query', results.query, true);
  if (results.answersSurviveRebuild !== undefined) {
    row({ part: 'query', figure: 'answers identical after rebuild', value: results.answersSurviveRebuild ? 'yes' : 'NO', anchor: '', ratio: '', target: 'yes', met: results.answersSurviveRebuild });
  }
  const b = results.build;
  if (b) {
    row({
      part: 'build',
      figure: `texts/s (${b.articles} articles, ${b.texts} texts)`,
      value: `${b.buildPerSecond.toFixed(0)}/s`,
      anchor: `raw embed ${b.rawPerSecond.toFixed(0)}/s`,
      ratio: x(b.ratio),
      target: '>= 0.8',
      met: b.ratio >= 0.8,
    });
    row({
      part: 'build',
      figure: 'full build: embedder / own work',
      value: `${ms(b.fullEmbedMs)} / ${ms(b.fullMs - b.fullEmbedMs)}`,
      anchor: `full ${ms(b.fullMs)}`,
      ratio: '',
      target: '',
    });
    row({ part: 'build', figure: 'no-change rebuild', value: ms(b.incrementalMs), anchor: `full ${ms(b.fullMs)}`, ratio: x(b.incrementalRatio), target: '< 0.1', met: b.incrementalRatio < 0.1 });
  }
  const c = results.cold;
  if (c) {
    row({
      part: 'cold',
      figure: 'start to ready',
      value: ms(c.startToReadyMs),
      anchor: `model ${ms(c.modelMs)}, index ${ms(c.indexLoadMs)}, runtime ${ms(c.processMs)}`,
      ratio: '',
      target: '',
    });
    row({ part: 'cold', figure: 'RSS after load', value: mb(c.rssMb), anchor: `after GC ${mb(c.rssAfterGcMb)}`, ratio: '', target: '' });
  }
  const bot = results.bot;
  if (bot) {
    row({
      part: 'bot',
      figure: `answers/s (${bot.users} users)`,
      value: `${bot.bot.perSecond.toFixed(1)}/s`,
      anchor: `engine ${bot.engine.perSecond.toFixed(1)}/s`,
      ratio: x(bot.ratio),
      target: '>= 0.9',
      met: bot.ratio >= 0.9,
    });
    row({
      part: 'bot',
      figure: 'CPU cores busy',
      value: `bot ${bot.bot.cpuCores.toFixed(2)} + emulator ${bot.emulatorCpuCores.toFixed(2)}`,
      anchor: `engine ${bot.engine.cpuCores.toFixed(2)}`,
      ratio: '',
      target: '',
    });
    row({ part: 'bot', figure: 'latency p50', value: ms(bot.bot.p50), anchor: `engine ${ms(bot.engine.p50)}`, ratio: x(ratio(bot.bot.p50, bot.engine.p50)), target: '' });
    row({ part: 'bot', figure: 'latency p95', value: ms(bot.bot.p95), anchor: `engine ${ms(bot.engine.p95)}`, ratio: x(ratio(bot.bot.p95, bot.engine.p95)), target: '' });
  }
  const growth = results.growth ?? [];
  const smallest = growth[0];
  for (const g of growth) {
    const part = `growth ${g.articles}`;
    const scale = smallest && g !== smallest ? ratio(g.buildMsPerArticle, smallest.buildMsPerArticle) : Number.NaN;
    const largest = g === growth[growth.length - 1] && growth.length > 1;
    row({
      part,
      figure: `build per article (${g.texts} texts)`,
      value: ms(g.buildMsPerArticle),
      anchor: smallest && g !== smallest ? `at ${smallest.articles}: ${ms(smallest.buildMsPerArticle)}` : '',
      ratio: Number.isFinite(scale) ? x(scale) : '',
      target: largest ? '<= 1.2' : '',
      ...(largest ? { met: scale <= 1.2 } : {}),
    });
    row({
      part,
      figure: 'build per article: embedder / own work',
      value: `${ms(g.embedMs / g.articles)} / ${ms((g.buildMs - g.embedMs) / g.articles)}`,
      anchor: `total ${(g.buildMs / 1000).toFixed(1)} s; embedder ${((g.embedMs / g.texts) * 1000).toFixed(0)} µs/text`,
      ratio: '',
      target: '',
    });
    if (g.rawEmbedMs !== undefined) {
      const build = (g.texts / g.buildMs) * 1000;
      const raw = (g.texts / g.rawEmbedMs) * 1000;
      row({
        part,
        figure: 'texts/s of the build',
        value: `${build.toFixed(0)}/s`,
        anchor: `raw embed ${raw.toFixed(0)}/s`,
        ratio: x(ratio(build, raw)),
        target: '>= 0.8',
        met: ratio(build, raw) >= 0.8,
      });
    }
    const q = g.probe.query;
    if (q) {
      row({
        part,
        figure: 'query p95',
        value: ms(q.engine.p95),
        anchor: `embed p95 ${ms(q.embed.p95)}; p50 ${ms(q.engine.p50)}`,
        ratio: x(ratio(q.engine.p95, q.embed.p95)),
        target: largest ? '<= 50 ms' : '',
        ...(largest ? { met: q.engine.p95 <= 50 } : {}),
      });
    }
    row({ part, figure: 'index size on disk', value: mb(g.indexBytes / 1024 / 1024), anchor: `${(g.indexBytes / g.articles / 1024).toFixed(0)} KB/article`, ratio: '', target: '' });
    row({
      part,
      figure: 'index load',
      value: ms(g.probe.indexLoadMs),
      anchor: `read ${ms(g.probe.readMs)}, structures ${ms(g.probe.searchIndexMs)}`,
      ratio: '',
      target: largest ? '<= 3 s' : '',
      ...(largest ? { met: g.probe.indexLoadMs <= 3000 } : {}),
    });
    row({ part, figure: 'RSS after load', value: mb(g.probe.rssMb), anchor: `after GC ${mb(g.probe.rssAfterGcMb)}`, ratio: '', target: '' });
    row({ part, figure: 'no-change rebuild', value: ms(g.incrementalMs), anchor: `full ${ms(g.buildMs)}`, ratio: x(ratio(g.incrementalMs, g.buildMs)), target: '' });
  }
  for (const f of results.stores ?? []) storeRows(f).forEach(row);
  return rows;
}

const STORE_NAMES = { files: 'files', pg: 'PostgreSQL' } as const;

/** The rows of one store at one size: part `stores N`, the store named in each figure. */
function storeRows(f: StoreFigures): Array<Omit<TableRow, 'model'>> {
  const part = `stores ${f.articles}`;
  const name = STORE_NAMES[f.store];
  const pg = f.store === 'pg';
  const p = f.probe;
  const rows: Array<Omit<TableRow, 'model'>> = [
    {
      part,
      figure: `${name}: start to ready`,
      value: ms(p.startToReadyMs),
      anchor: `model ${ms(p.modelMs)}, index ${ms(p.indexLoadMs)}`,
      ratio: '',
      target: pg ? '< 2 s' : '',
      ...(pg ? { met: p.startToReadyMs < 2000 } : {}),
    },
  ];
  // The embedded store's load target holds up to 5,000 articles.
  if (!pg && f.articles <= 5000) {
    rows.push({ part, figure: `${name}: index load`, value: ms(p.indexLoadMs), anchor: `read ${ms(p.readMs)}, structures ${ms(p.searchIndexMs)}`, ratio: '', target: '<= 3 s', met: p.indexLoadMs <= 3000 });
  }
  if (p.query) {
    rows.push({ part, figure: `${name}: answer p50 / p95 without embedding`, value: `${ms(p.query.engine.p50)} / ${ms(p.query.engine.p95)}`, anchor: `embed p95 ${ms(p.query.embed.p95)}`, ratio: '', target: pg ? 'p95 < 50 ms' : '', ...(pg ? { met: p.query.engine.p95 < 50 } : {}) });
  }
  const texts = (f.texts / f.buildMs) * 1000;
  const build = f.vectorsReused ? `${name}: build texts/s, vectors reused` : `${name}: build texts/s`;
  rows.push({ part, figure: build, value: `${texts.toFixed(0)}/s`, anchor: `total ${(f.buildMs / 1000).toFixed(1)} s, embedder ${((f.embedMs / f.buildMs) * 100).toFixed(0)}%`, ratio: '', target: '' });
  rows.push({ part, figure: `${name}: RSS after load`, value: mb(p.rssAfterGcMb), anchor: `before GC ${mb(p.rssMb)}; index ${mb(f.indexBytes / 1024 / 1024)} on disk`, ratio: '', target: '' });
  return rows;
}

/**
 * The default answer path with its reader: per candidate count, answer p50 / p95 (target: p95
 * at most 50 ms on two cores) and answers a second one after another (target: at least 30,
 * Telegram's ceiling per bot), with the reader's share; the committed count is marked.
 */
export function readerRows(r: ReaderPathFigures): TableRow[] {
  const model = r.profile;
  return r.rows.map((row) => {
    const fitted = row.candidates === r.fitted;
    const label = row.candidates === 0 ? 'no reader (first ranking alone)' : `reader reads ${row.candidates}${fitted ? ' (committed)' : ''}`;
    const share = row.answer.p50 > 0 ? row.reader.p50 / row.answer.p50 : 0;
    return {
      model,
      part: 'reader',
      figure: `${label}: answer p50 / p95, answers/s`,
      value: `${ms(row.answer.p50)} / ${ms(row.answer.p95)}, ${row.answersPerSecond.toFixed(0)}/s`,
      anchor: row.candidates === 0 ? `embed p95 ${ms(r.embed.p95)}` : `reader p50 ${ms(row.reader.p50)} (${(share * 100).toFixed(0)}%)`,
      ratio: x(ratio(row.answer.p95, r.embed.p95)),
      target: fitted ? 'p95 <= 50 ms, >= 30/s' : '',
      ...(fitted ? { met: row.answer.p95 <= 50 && row.answersPerSecond >= 30 } : {}),
    };
  });
}

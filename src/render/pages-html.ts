/** The bot's own pages as Telegram HTML: /start, /help, /sources and /about. */
import type { EngineInfo } from '../core/types.js';
import { aboutIn, asksInEnglish, corpusEvents, examplesFor } from './about.js';
import { DEFAULT_MAX_CHARS, escapeHtml, EVENT_CHARS, eventsText, linked, OUTLET_CHARS, splitIntoMessages, TITLE_CHARS, truncateText as truncate, whenText, type Voice } from './html.js';

/** Text of /help: what the bot knows, how to ask in each kind of chat, examples, commands. */
export function renderHelp(options: { info: Pick<EngineInfo, 'sources' | 'articles' | 'about' | 'multilingual'>; username: string; voice: Voice }): string {
  const { info, username, voice } = options;
  const { t } = voice;
  const events = corpusEvents(info);
  const language = voice.locale ?? 'en';
  const about = aboutIn(info.about, language);
  const bot = `@${escapeHtml(username)}`;
  const examples = examplesFor(info, language);
  // A corpus without example questions gets no examples section rather than an empty one.
  const examplesSection = examples.length === 0 ? [] : [
    t('help-examples'),
    ...(asksInEnglish(info, language) ? [escapeHtml(t('help-ask-english'))] : []),
    ...examples.map((q) => `• ${escapeHtml(q)}`),
    '',
  ];
  return [
    t('help-what'),
    escapeHtml(t('help-covers', { description: about.description, events: events.length ? ` (${eventsText(events, t)})` : '', articles: info.articles })),
    '',
    t('help-how'),
    t('help-how-private'),
    t('help-how-group', { bot }),
    t('help-how-inline', { bot }),
    escapeHtml(t('help-how-follow')),
    '',
    ...examplesSection,
    t('help-commands'),
    t('help-command-sources'),
    t('help-command-about'),
    t('help-command-help'),
  ].join('\n');
}

/** Text of /start: a greeting followed by the help. */
export function renderStart(options: { info: Pick<EngineInfo, 'sources' | 'articles' | 'about' | 'multilingual'>; username: string; firstName?: string; voice: Voice }): string {
  const name = options.firstName ? `, ${escapeHtml(truncate(options.firstName, 64))}` : '';
  return `${options.voice.t('start-greeting', { name })}\n\n${renderHelp(options)}`;
}

/** Text of /sources: every article with outlet, date and title, grouped by event; split to fit. */
export function renderSources(options: { info: Pick<EngineInfo, 'sources'>; maxChars?: number; voice: Voice }): string[] {
  const { info, maxChars = DEFAULT_MAX_CHARS, voice } = options;
  const blocks = [voice.t('sources-title', { count: info.sources.length })];
  for (const event of corpusEvents(info)) {
    const sources = info.sources
      .filter((s) => s.event === event)
      .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.outlet.localeCompare(b.outlet));
    blocks.push(`\n<b>${escapeHtml(truncate(event, EVENT_CHARS))}</b>`);
    for (const s of sources) {
      const title = linked(escapeHtml(`“${truncate(s.title, TITLE_CHARS)}”`), s.url);
      blocks.push(`• <b>${escapeHtml(truncate(s.outlet, OUTLET_CHARS))}</b>, ${escapeHtml(whenText(s, s.event, voice))}: ${title}`);
    }
  }
  return splitIntoMessages({ blocks, maxChars });
}

/** Text of /about: model, when the index was built, and its size. */
export function renderAbout(options: { info: Pick<EngineInfo, 'modelId' | 'dimensions' | 'builtAt' | 'articles' | 'chunks'>; voice: Voice }): string {
  const { info, voice } = options;
  const { t } = voice;
  const built = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(info.builtAt) ? `${info.builtAt.slice(0, 10)} ${info.builtAt.slice(11, 16)} UTC` : info.builtAt;
  return [
    t('about-title'),
    t('about-model', { model: escapeHtml(info.modelId), dimensions: info.dimensions }),
    escapeHtml(t('about-built', { built })),
    escapeHtml(t('about-size', { articles: info.articles, chunks: info.chunks })),
    '',
    escapeHtml(t('about-verbatim')),
  ].join('\n');
}

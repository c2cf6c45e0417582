/** The corpus's own description (corpus/about.json) as the renderers use it: in the reader's language, with its events. */
import type { CorpusAbout, EngineInfo } from '../core/types.js';

/** The corpus's own words in a language, English when it has none in that one. */
export function aboutIn(about: CorpusAbout, language = 'en'): { description: string; topics: string; examples: string[] } {
  const pick = <T>(map: Record<string, T>, fallback: T): T => map[language] ?? map.en ?? fallback;
  return { description: pick(about.description, ''), topics: pick(about.topics, ''), examples: pick(about.examples, []) };
}

/**
 * The example questions to offer a reader: in their language when the model reads it, in
 * English otherwise (an English-only model would decline a Russian example).
 */
export function examplesFor(info: Pick<EngineInfo, 'about' | 'multilingual'>, language = 'en'): string[] {
  const examples = aboutIn(info.about, info.multilingual === true ? language : 'en').examples;
  return examples.length > 0 ? examples : aboutIn(info.about, 'en').examples;
}

/** The first example question, for hints ("for example: …"). */
export function firstExample(info: Pick<EngineInfo, 'about' | 'multilingual'>, language = 'en'): string {
  return examplesFor(info, language)[0] ?? '';
}

/** A reader whose language the model cannot read is asked, in their language, to ask in English. */
export function asksInEnglish(info: Pick<EngineInfo, 'multilingual'>, language: string): boolean {
  return info.multilingual !== true && language !== 'en';
}

/** Event labels of the corpus, most recent coverage first as the sources list them. */
export function corpusEvents(info: Pick<EngineInfo, 'sources'>): string[] {
  return [...new Set(info.sources.map((s) => s.event))];
}

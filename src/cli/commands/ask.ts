import { readFile } from 'node:fs/promises';
import { defineCommand } from 'citty';
import { parseEngineConfig } from '../../app/config.js';
import { createEngineFromConfig } from '../../app/serving/load-engine.js';
import { chooseBackend } from '../../backend/backend.js';
import type { Answer, AnswerEngine, Snippet } from '../../core/types.js';
import { InputError } from '../../core/errors.js';
import { renderAnswerText } from '../../render/text.js';
import { ioOf } from '../io.js';

/**
 * `ask`: one question answered in the terminal, as text or JSON; or a JSON-lines file of
 * questions, one JSON answer a line (model and index load once). Logs go to stderr; stdout
 * carries only answers.
 */
export const askCommand = defineCommand({
  meta: { name: 'ask', description: 'Answer a question (or a file of them) with quotes from the coverage' },
  args: {
    question: { type: 'positional', required: false, description: 'the question, e.g. "How much trade did Russia do with Central Asia?"' },
    json: { type: 'boolean', description: 'print one JSON object instead of text' },
    file: { type: 'string', description: 'answer a JSON-lines file ({"id", "question"} a line), one JSON object a line', valueHint: 'questions.jsonl' },
  },
  async run(context) {
    const io = ioOf(context);
    const { args } = context;
    const words = args._.filter((w) => w !== '');
    const config = parseEngineConfig(io.env);
    // Checked once the engine has loaded: an index that cannot load reports that alone.
    const warnStale = () => warnIfStale({ config, write: (line) => io.stderr.write(line) });
    if (args.file !== undefined) {
      if (words.length > 0) throw new InputError('give either --file or a question, not both');
      const { questions, problems } = await readQuestionFile(args.file);
      if (questions.length === 0) throw new InputError(`${args.file} has no usable questions${problems.length ? ` (${problems.join('; ')})` : ''}`);
      const { engine, dispose } = await createEngineFromConfig({ config });
      try {
        await warnStale();
        for (const problem of problems) io.stderr.write(`warning: ${problem}\n`);
        for (const q of questions) io.stdout.write(`${JSON.stringify(answerJson(await engine.answer(q.question), q.id))}\n`);
      } finally {
        await dispose();
      }
      return problems.length > 0 ? 1 : 0;
    }
    const question = checkQuestion(words.join(' '));
    const { engine, dispose } = await createEngineFromConfig({ config });
    try {
      await warnStale();
      io.stdout.write(`${await askOne({ engine, question, json: args.json === true })}\n`);
    } finally {
      await dispose();
    }
    return 0;
  },
});

/**
 * One warning line when the index no longer matches the corpus, the model or the text pipeline:
 * the answers then come from the old build (the bot rebuilds at start; ask does not). A check
 * that cannot run says nothing.
 */
async function warnIfStale(options: { config: ReturnType<typeof parseEngineConfig>; write: (line: string) => void }): Promise<void> {
  const { config, write } = options;
  const freshness = await chooseBackend(config)
    .freshness({ corpusDir: config.corpusDir, model: config.embeddingModel })
    .catch(() => undefined);
  if (freshness && !freshness.current) write(`warning: the index is out of date (${freshness.reason}); answers come from the old build until npm run build-index\n`);
}

/** The `ask --json` shape: the engine's answer minus internals, dates and urls as null when unknown. */
export function answerJson(answer: Answer, id?: string): Record<string, unknown> {
  return {
    ...(id !== undefined ? { id } : {}),
    question: answer.question,
    answered: answer.answered,
    ...(answer.reason ? { reason: answer.reason } : {}),
    ...(answer.decidedBy ? { decidedBy: answer.decidedBy } : {}),
    events: answer.events,
    snippets: answer.snippets.map(snippetJson),
    // Not an answer: the closest the coverage comes to one (see Answer.related).
    ...(answer.related ? { related: answer.related.map(snippetJson) } : {}),
  };
}

function snippetJson(s: Snippet): Record<string, unknown> {
  return {
    quote: s.quote,
    source: { id: s.source.id, title: s.source.title, outlet: s.source.outlet, date: s.source.date, url: s.source.url },
    score: s.score,
    event: s.event,
    corroboratedBy: s.corroboratedBy.map((c) => ({ outlet: c.source.outlet, id: c.source.id, date: c.source.date, quote: c.quote, differs: c.differs })),
  };
}

/** Rejects what is not a question before any model is loaded. */
export function checkQuestion(question: string): string {
  const trimmed = question.trim();
  if (trimmed === '') throw new InputError('the question is empty; usage: npm run -s ask -- "How much trade did Russia do with Central Asia?"');
  return trimmed;
}

export interface QuestionLine {
  id: string;
  question: string;
}

/**
 * Reads a JSON-lines question file. Malformed lines are reported with their line number and
 * skipped; the rest are still answered.
 */
export async function readQuestionFile(path: string): Promise<{ questions: QuestionLine[]; problems: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new InputError(`cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
  const questions: QuestionLine[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${path}:${i + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push(`${where}: not valid JSON, skipped`);
      return;
    }
    const record = parsed as { id?: unknown; question?: unknown } | null;
    if (!record || typeof record !== 'object' || typeof record.question !== 'string' || record.question.trim() === '') {
      problems.push(`${where}: needs a non-empty "question" string, skipped`);
      return;
    }
    const id = typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : `line-${i + 1}`;
    questions.push({ id, question: record.question });
  });
  return { questions, problems };
}

/** Answers one question as text or JSON. */
export async function askOne(options: { engine: AnswerEngine; question: string; json: boolean }): Promise<string> {
  const answer = await options.engine.answer(options.question);
  return options.json ? JSON.stringify(answerJson(answer)) : renderAnswerText(answer, options.engine.info.about);
}

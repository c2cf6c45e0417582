# The bot's own words, in English (the fallback for every language without its own file).
# Quotes are never translated: they stay verbatim in the articles' language.

# Variables: { $name } may be empty.
start-greeting = Hello{ $name }! Ask me about the news coverage and I reply with verbatim quotes and their sources.

help-what = <b>What I know</b>
help-covers = I answer questions about { $description }{ $events }, quoting { $articles } articles word for word and naming each source.
help-how = <b>How to ask</b>
help-how-private = • Here: just type your question.
help-how-group = • In a group: <code>/ask your question</code>, mention { $bot } in your message, or reply to one of my answers.
help-how-inline = • In any chat: type { $bot } and your question, then pick a quote to send.
help-how-follow = • Reply to one of my answers to ask more about it, e.g. “and in 2022?”.
help-examples = <b>Examples</b>
help-ask-english = Please ask in English, the language of the articles:
help-commands = <b>Commands</b>
help-command-sources = /sources: the articles I quote
help-command-about = /about: model and index details
help-command-help = /help: this message

not-covered = Sorry, the articles I know don’t cover that.
not-covered-scope = I answer questions about { $description }{ $events }: { $topics }.
not-covered-try = Try, for example:
not-covered-try-english = Try, in English, for example:
not-covered-more = See /help for more examples and /sources for the articles I quote.
closest = The coverage doesn’t say exactly that. The closest it comes:
empty-question = Please ask a question in words, for example:
language-unsupported = I can only read questions in English, the language of the articles I quote.
language-enable = Please ask in English. (The bot’s admin can switch it to a model that understands about 100 languages: EMBEDDING_MODEL=multilingual-e5-small.)

events-more = ; and { $count } more (see /sources)
mixed-events = Note: these quotes come from different events ({ $events }).
undated = undated, { $event }
undated-short = undated
also-reported = Also reported by { $outlets }.
also-more = and { $count } more
figures-differ = The outlets give the figure differently: { $phrases }.
full-wordings = Their full wordings:

more-button = More sources ({ $count } more)
more-none = No other quote answers this question.
more-header = More sources ({ $range } of { $total })
expired-button = This button no longer works. Please ask your question again.

slow-down = You are asking faster than I can keep up. Please wait { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
} and ask again.
too-long = Your question is { $length } characters long; please keep it under { $max } characters and ask again.
failure = Sorry, something went wrong while answering. Please try again in a moment.
non-text = I can only read text. Please type your question, for example:
ask-empty = Put your question after the command, for example:
group-empty = Yes? Ask me a question about the coverage, for example:
unknown-command = I don’t know that command. See /help for what I can do, or just type your question.

sources-title = <b>Articles I quote ({ $count })</b>
about-title = <b>About this bot</b>
about-model = Embedding model: <code>{ $model }</code> ({ $dimensions } dimensions)
about-built = Index built: { $built }
about-size = Articles: { $articles }; passages (chunks): { $chunks }
about-verbatim = Every quote is copied word for word from its article; I never paraphrase.

inline-empty = Type a question about the coverage
inline-too-long = Question too long: keep it under { $max } characters
inline-not-covered = Not covered: tap to see what I can answer
inline-language = English questions only: tap for help

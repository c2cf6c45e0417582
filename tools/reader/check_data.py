"""Checks the reader's training data (tools/reader/data): every question line is well formed,
no question is asked twice (here or in the original training set), and every evidence string
is verbatim in the article it names, or in another version of the same story (the five seed
articles; practice articles with the same event label) (compared as the scoring compares: NFKC, straight quotes,
'-' for dashes, collapsed whitespace, lower case).

usage: python3 tools/reader/check_data.py [FILE.jsonl ...]   (default: every questions file)
"""
import glob
import json
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(ROOT))
TAGS = {'para', 'year', 'hard', 'chat', 'yn', 'short', 'plain', 'typo', 'span2', 'long', 'outlets',
        'generic', 'trap', 'offtopic', 'number', 'who', 'when', 'where', 'why', 'negation'}


def norm(text):
    text = unicodedata.normalize('NFKC', text)
    text = re.sub('[\u2018\u2019\u201a\u201b\u2032]', "'", text)
    text = re.sub('[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]', '"', text)
    text = re.sub('[\u2010-\u2015\u2212]', '-', text)
    return re.sub(r'\s+', ' ', text).strip().lower()


def body(path):
    text = open(path, encoding='utf-8').read()
    if text.startswith('---'):
        text = text.split('---', 2)[2]
    return norm(text)


def event(path):
    match = re.search(r'^event:\s*"?(.*?)"?\s*$', open(path, encoding='utf-8').read().split('---', 2)[1], re.M)
    return match.group(1) if match else None


def articles():
    found = {}
    for path in glob.glob(os.path.join(REPO, 'corpus', '*.md')):
        found[os.path.basename(path)[:-3]] = body(path)
    for path in glob.glob(os.path.join(ROOT, 'data', 'articles', '*.md')):
        found[os.path.basename(path)[:-3]] = body(path)
    return found


def main(files):
    texts = articles()
    seeds = {k for k in texts if os.path.exists(os.path.join(REPO, 'corpus', k + '.md'))}
    # Two outlets' versions of one practice story share their event: either may hold the evidence.
    events = {os.path.basename(p)[:-3]: event(p) for p in glob.glob(os.path.join(ROOT, 'data', 'articles', '*.md'))}
    seen = {}
    for line in open(os.path.join(REPO, 'test', 'fixtures', 'train-questions.jsonl'), encoding='utf-8'):
        q = json.loads(line)
        seen[norm(q['question'])] = q['id']
    ids = set()
    problems = []
    count = {'answerable': 0, 'unanswerable': 0}
    for path in files:
        for n, line in enumerate(open(path, encoding='utf-8'), 1):
            where = f'{os.path.basename(path)}:{n}'
            try:
                q = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f'{where}: not JSON ({e})')
                continue
            keys = {'id', 'question', 'answerable', 'evidence', 'article', 'tags'}
            if set(q) != keys:
                problems.append(f'{where}: keys must be exactly {sorted(keys)}')
                continue
            if q['id'] in ids:
                problems.append(f'{where}: id {q["id"]} used twice')
            ids.add(q['id'])
            key = norm(q['question'])
            if key in seen:
                problems.append(f'{where}: question asked before ({seen[key]}): {q["question"]}')
            seen[key] = q['id']
            if q['article'] not in texts:
                problems.append(f'{where}: unknown article {q["article"]}')
                continue
            bad = [t for t in q['tags'] if t not in TAGS]
            if bad:
                problems.append(f'{where}: unknown tags {bad}')
            if q['answerable']:
                count['answerable'] += 1
                if not q['evidence']:
                    problems.append(f'{where}: answerable but no evidence')
                if q['article'] in seeds:
                    pool = [texts[k] for k in seeds]
                else:
                    pool = [texts[k] for k, e in events.items() if k == q['article'] or (e and e == events[q['article']])]
                for ev in q['evidence']:
                    if len(norm(ev)) < 8:
                        problems.append(f'{where}: evidence too short to be specific: {ev!r}')
                    if not any(norm(ev) in t for t in pool):
                        problems.append(f'{where}: evidence not verbatim in {q["article"]}: {ev!r}')
            else:
                count['unanswerable'] += 1
                if q['evidence']:
                    problems.append(f'{where}: unanswerable but has evidence')
    for p in problems:
        print(p)
    print(f'{len(ids)} questions ({count["answerable"]} answerable, {count["unanswerable"]} unanswerable), {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, 'data', 'questions', '*.jsonl')))))

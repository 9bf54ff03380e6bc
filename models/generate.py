#!/usr/bin/python3
"""Generate snapserve's ONNX model bundles and golden test data.

Run from anywhere:  /usr/bin/python3 models/generate.py
Needs (Debian): python3-torch python3-onnx python3-sklearn (no network).

Writes, relative to this file's directory:
  demo/      digits classifier trained on sklearn load_digits (pixels 0..16 -> logits[10])
  mlp784/    784-512-256-10 MLP, random init (benchmark fixture)
  textcls/   INT64 multi-input / two-output fixture, random init
  seqpool/   per-timestep fixture with a dynamic non-batch output dim, random init
  digitscnn/ CNN (conv + batch-norm, folded at export) trained on the same digits split
  digitsformer/ transformer-ish classifier (embedding + self-attention + MLP) on the digits split
  testdata/  golden inputs/outputs computed by PyTorch (float32)

Model files are deterministic (fixed seeds, single thread). Only manifest
"createdAt" varies between runs; set SOURCE_DATE_EPOCH to pin it.
"""
import hashlib
import json
import os
import time
import warnings
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

OUT = Path(__file__).resolve().parent
OPSET = 13
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
# Harmless exporter noise from clamp()/constants in torch 1.13.
warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")

# ONNX elem type -> Open Inference Protocol datatype name.
OIP = {onnx.TensorProto.FLOAT: "FP32", onnx.TensorProto.DOUBLE: "FP64",
       onnx.TensorProto.INT64: "INT64", onnx.TensorProto.INT32: "INT32",
       onnx.TensorProto.BOOL: "BOOL", onnx.TensorProto.UINT8: "UINT8"}


def graph_signature(values):
    """[{name, datatype, shape}] read from ONNX graph inputs/outputs (dim_param -> -1)."""
    sig = []
    for v in values:
        t = v.type.tensor_type
        shape = []
        for d in t.shape.dim:
            if d.HasField("dim_param"):
                shape.append(-1)
            elif d.HasField("dim_value"):
                shape.append(d.dim_value)
            else:
                raise ValueError(f"{v.name}: dimension is neither dim_value nor dim_param")
        sig.append({"name": v.name, "datatype": OIP[t.elem_type], "shape": shape})
    return sig


def created_at():
    t = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def export_bundle(module, dirname, name, example, inputs, outputs, dynamic_axes,
                  expected, provenance_data, labels=None):
    """Export `module` to <dirname>/model.onnx, verify it and write manifest.json.

    expected: {"inputs": [...], "outputs": [...]} signature the graph must have.
    """
    module.eval()
    bundle = OUT / dirname
    bundle.mkdir(parents=True, exist_ok=True)
    path = bundle / "model.onnx"
    torch.onnx.export(module, example, str(path), opset_version=OPSET,
                      input_names=inputs, output_names=outputs,
                      dynamic_axes=dynamic_axes, do_constant_folding=True)

    model = onnx.load(str(path))
    onnx.checker.check_model(model, full_check=True)
    # Real graph inputs only (exclude initializers, in case an exporter lists them).
    inits = {i.name for i in model.graph.initializer}
    sig = {"inputs": graph_signature(i for i in model.graph.input if i.name not in inits),
           "outputs": graph_signature(model.graph.output)}
    assert sig == expected, f"{name}: graph signature {sig} != expected {expected}"

    data = path.read_bytes()
    manifest = {
        "schemaVersion": 1,
        "name": name,
        "version": "1",
        "format": "onnx",
        "model": {"file": "model.onnx", "sha256": hashlib.sha256(data).hexdigest(),
                  "sizeBytes": len(data)},
        "signature": sig,  # taken from the graph, so manifest and model cannot disagree
    }
    if labels is not None:
        manifest["labels"] = labels
    manifest["provenance"] = {
        "producer": f"pytorch {torch.__version__} torch.onnx.export opset {OPSET}",
        "script": "models/generate.py",
        "createdAt": created_at(),
        "trainingData": provenance_data,
    }
    (bundle / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"{dirname}/model.onnx  {len(data):>9} bytes  sha256 {manifest['model']['sha256']}")


def f32(t):
    """Tensor -> nested lists of Python floats that round-trip exactly to float32."""
    return np.vectorize(lambda x: float(np.float32(x)), otypes=[object])(
        t.detach().numpy().astype(np.float32)).tolist()


def write_golden(filename, obj):
    d = OUT / "testdata"
    d.mkdir(exist_ok=True)
    (d / filename).write_text(json.dumps(obj, separators=(",", ":")) + "\n")
    print(f"testdata/{filename}  {(d / filename).stat().st_size:>9} bytes")


def sig(*specs):
    return [{"name": n, "datatype": dt, "shape": list(s)} for n, dt, s in specs]


# ---------------------------------------------------------------- 1. digits demo
class Digits(nn.Module):
    """Raw 0..16 pixel values in, logits out (scaling is part of the model)."""
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, pixels):
        return self.net(pixels / 16.0)


def digits():
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    xtr, ytr = torch.tensor(X_tr, dtype=torch.float32), torch.tensor(y_tr)
    xte = torch.tensor(X_te, dtype=torch.float32)

    torch.manual_seed(0)
    model = Digits()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(300):  # full-batch Adam; ~1 s on CPU
        opt.zero_grad()
        nn.functional.cross_entropy(model(xtr), ytr).backward()
        opt.step()

    model.eval()
    with torch.no_grad():
        logits = model(xte)
    acc = float((logits.argmax(1).numpy() == y_te).mean())
    print(f"digits: held-out accuracy {acc:.4f} on {len(y_te)} samples")
    assert acc >= 0.95, acc

    export_bundle(model, "demo", "digits", (xte[:2],), ["pixels"], ["logits"],
                  {"pixels": {0: "batch"}, "logits": {0: "batch"}},
                  {"inputs": sig(("pixels", "FP32", [-1, 64])),
                   "outputs": sig(("logits", "FP32", [-1, 10]))},
                  "sklearn load_digits (1797 samples), 80/20 stratified split, random_state=0",
                  labels=[str(i) for i in range(10)])
    write_golden("digits-heldout.json", {
        "inputs": {"pixels": X_te.astype(int).tolist()},
        "labels": y_te.astype(int).tolist(),
        "outputs": {"logits": f32(logits)},
        "accuracy": acc,
        "count": len(y_te),
    })


# ---------------------------------------------------------------- 2. mlp784
def mlp784(seed=1):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(),
                          nn.Linear(256, 10)).eval()
    x = torch.rand(4, 784)  # uniform [0, 1)
    with torch.no_grad():
        y = model(x)
    export_bundle(model, "mlp784", "mlp784", (x,), ["input"], ["logits"],
                  {"input": {0: "batch"}, "logits": {0: "batch"}},
                  {"inputs": sig(("input", "FP32", [-1, 784])),
                   "outputs": sig(("logits", "FP32", [-1, 10]))},
                  f"random init, seed {seed}")
    write_golden("mlp784-golden.json", {"inputs": {"input": f32(x)}, "outputs": {"logits": f32(y)}})


# ---------------------------------------------------------------- 3. textcls
class TextCls(nn.Module):
    """Embedding -> masked mean pooling -> Linear; returns (logits, argmax label)."""
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 8)
        self.fc = nn.Linear(8, 3)

    def forward(self, input_ids, attention_mask):
        m = attention_mask.unsqueeze(-1).to(torch.float32)          # [B, T, 1]
        pooled = (self.emb(input_ids) * m).sum(1) / m.sum(1).clamp(min=1.0)
        logits = self.fc(pooled)
        return logits, logits.argmax(-1)                              # label is INT64


def textcls(seed=2):
    torch.manual_seed(seed)
    model = TextCls().eval()
    ids = torch.tensor([[5, 17, 42, 8, 99], [3, 64, 0, 0, 0], [71, 12, 33, 9, 0]])
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 1, 1, 1, 0]])
    with torch.no_grad():
        logits, label = model(ids, mask)
    bt = {0: "batch", 1: "sequence"}
    export_bundle(model, "textcls", "textcls", (ids, mask), ["input_ids", "attention_mask"],
                  ["logits", "label"],
                  {"input_ids": bt, "attention_mask": bt, "logits": {0: "batch"}, "label": {0: "batch"}},
                  {"inputs": sig(("input_ids", "INT64", [-1, -1]), ("attention_mask", "INT64", [-1, -1])),
                   "outputs": sig(("logits", "FP32", [-1, 3]), ("label", "INT64", [-1]))},
                  f"random init, seed {seed}")
    write_golden("textcls-golden.json", {
        "inputs": {"input_ids": ids.tolist(), "attention_mask": mask.tolist()},
        "outputs": {"logits": f32(logits), "label": label.tolist()}})


# ---------------------------------------------------------------- 4. seqpool
class SeqPool(nn.Module):
    """Per-timestep Linear(4, 2) + tanh: [B, T, 4] -> [B, T, 2]."""
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, frames):
        return torch.tanh(self.fc(frames))


def seqpool(seed=3):
    torch.manual_seed(seed)
    model = SeqPool().eval()
    x = torch.randn(2, 7, 4)
    with torch.no_grad():
        y = model(x)
    bt = {0: "batch", 1: "time"}
    export_bundle(model, "seqpool", "seqpool", (x,), ["frames"], ["scores"],
                  {"frames": bt, "scores": bt},
                  {"inputs": sig(("frames", "FP32", [-1, -1, 4])),
                   "outputs": sig(("scores", "FP32", [-1, -1, 2]))},
                  f"random init, seed {seed}")
    write_golden("seqpool-golden.json", {"inputs": {"frames": f32(x)}, "outputs": {"scores": f32(y)}})


# ---------------------------------------------------------------- shared digits split
def digits_split():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)


def train_minibatch(model, xtr, ytr, epochs, lr, batch=64, seed=0):
    """Adam on shuffled minibatches; deterministic (fixed seed, one thread)."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        for idx in torch.randperm(len(xtr), generator=g).split(batch):
            opt.zero_grad()
            nn.functional.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
    model.eval()


def digits_classifier(model, dirname, name, x_dtype, epochs, lr, description, min_acc=0.95):
    """Trains `model` on the digits split, exports it and writes held-out logits as golden data.

    The input is `pixels` [-1, 64] with raw 0..16 values, as for the demo model, so the
    held-out rows in testdata/digits-heldout.json feed every digits model.
    """
    X_tr, X_te, y_tr, y_te = digits_split()
    xtr, ytr = torch.tensor(X_tr, dtype=x_dtype), torch.tensor(y_tr)
    xte = torch.tensor(X_te, dtype=x_dtype)
    train_minibatch(model, xtr, ytr, epochs, lr)
    with torch.no_grad():
        logits = model(xte)
    acc = float((logits.argmax(1).numpy() == y_te).mean())
    print(f"{name}: held-out accuracy {acc:.4f} on {len(y_te)} samples")
    assert acc >= min_acc, acc
    dt = "FP32" if x_dtype == torch.float32 else "INT64"
    export_bundle(model, dirname, name, (xte[:2],), ["pixels"], ["logits"],
                  {"pixels": {0: "batch"}, "logits": {0: "batch"}},
                  {"inputs": sig(("pixels", dt, [-1, 64])),
                   "outputs": sig(("logits", "FP32", [-1, 10]))},
                  "sklearn load_digits (1797 samples), 80/20 stratified split, random_state=0; "
                  + description,
                  labels=[str(i) for i in range(10)])
    write_golden(f"{name}-heldout.json", {
        "inputs": "digits-heldout.json",
        "outputs": {"logits": f32(logits)},
        "accuracy": acc,
        "count": len(y_te),
    })


# ---------------------------------------------------------------- 5. digits CNN
class DigitsCnn(nn.Module):
    """Two conv + batch-norm + ReLU blocks, max-pool, two Linear layers. In eval mode the
    exporter folds each BatchNorm into its Conv: per-output-channel weight scales differ, which
    is what per-channel quantization is for."""
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64 * 4 * 4, 128), nn.ReLU(),
                                  nn.Linear(128, 10))

    def forward(self, pixels):
        return self.head(self.features(pixels.reshape(-1, 1, 8, 8) / 16.0))


def digitscnn():
    torch.manual_seed(5)
    digits_classifier(DigitsCnn(), "digitscnn", "digitscnn", torch.float32, epochs=15,
                      lr=0.002, description="Conv(1,32)+BN, Conv(32,64)+BN, MaxPool, 1024-128-10")


# ---------------------------------------------------------------- 6. digits transformer
class Block(nn.Module):
    """Pre-norm transformer encoder block with hand-written multi-head attention (the exporter
    then emits plain MatMul/Softmax, not a fused op), GELU MLP and residuals."""
    def __init__(self, d, heads, ff):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).chunk(3, dim=-1)
        split = lambda z: z.reshape(b, t, self.heads, d // self.heads).transpose(1, 2)
        q, k, v = split(q), split(k), split(v)
        att = torch.softmax(q @ k.transpose(-2, -1) / (d // self.heads) ** 0.5, dim=-1)
        x = x + self.proj((att @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.mlp(self.norm2(x))


class DigitsFormer(nn.Module):
    """Each image row is a token: its 8 pixels are embedded by a Linear layer (a ViT-style patch
    embedding) plus a learned position embedding; two encoder blocks, mean pooling, Linear head.
    Weight-dominated: ~1.6 M parameters, nearly all in MatMul weights."""
    def __init__(self, d=256, heads=4, ff=1024, layers=2):
        super().__init__()
        self.embed = nn.Linear(8, d)
        self.pos = nn.Parameter(torch.randn(8, d) * 0.02)
        self.blocks = nn.Sequential(*[Block(d, heads, ff) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, 10)

    def forward(self, pixels):
        x = self.embed(pixels.reshape(-1, 8, 8) / 16.0) + self.pos
        return self.head(self.norm(self.blocks(x)).mean(1))


def digitsformer():
    torch.manual_seed(6)
    digits_classifier(DigitsFormer(), "digitsformer", "digitsformer", torch.float32, epochs=15,
                      lr=0.001, min_acc=0.93, description="tokens = image rows; Linear(8,256) row embedding + position, "
                      "2 blocks (d 256, 4-head attention, MLP 1024), mean pool, Linear(256,10)")


if __name__ == "__main__":
    digits()
    mlp784()
    textcls()
    seqpool()
    digitscnn()
    digitsformer()

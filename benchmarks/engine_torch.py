"""The engine benchmark's reference networks in PyTorch, timed the same way as the engine.

Reads the networks' description (JSON, from benchmarks/engine.ts) on stdin and prints one JSON
line: parameter counts, wall and process CPU times of training steps (forward, backward, SGD with momentum,
weight decay and global-norm clipping, reading the loss back each step as the engine does).

Usage: python3 benchmarks/engine_torch.py --threads N [--nets cnn,lm] [--steps N] [--seconds S] < nets.json

The layer structure mirrors src/engine/cnn-net.ts, layers.ts and rnn-net.ts one to one.
Two differences that do not change the amount of work: PyTorch pads 'same' convolutions and
pools symmetrically where TensorFlow puts the odd pixel at the bottom/right (the output shapes
are equal), and tensors are NCHW, PyTorch's default layout.
"""

import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CNN_NODES = 5


def relu_conv_bn(c_in, c_out, kernel, stride):
    return nn.Sequential(
        nn.ReLU(),
        nn.Conv2d(c_in, c_out, kernel, stride, padding=kernel // 2, bias=False),
        nn.BatchNorm2d(c_out, eps=1e-5, momentum=0.1),
    )


def sep_conv(channels, kernel, stride):
    return nn.Sequential(
        nn.ReLU(),
        nn.Conv2d(channels, channels, kernel, stride, padding=kernel // 2, groups=channels, bias=False),
        nn.Conv2d(channels, channels, 1, bias=False),
        nn.BatchNorm2d(channels, eps=1e-5, momentum=0.1),
    )


def op_module(op, channels, stride):
    if op in ('sep_conv_3x3', 'sep_conv_5x5'):
        return sep_conv(channels, 3 if op == 'sep_conv_3x3' else 5, stride)
    if op == 'avg_pool_3x3':
        return nn.AvgPool2d(3, stride, padding=1, count_include_pad=False)
    if op == 'max_pool_3x3':
        return nn.MaxPool2d(3, stride, padding=1)
    if op == 'identity':
        return nn.Identity() if stride == 1 else relu_conv_bn(channels, channels, 1, 2)
    raise ValueError(f'unknown op {op}')


def parse_cell(text, name):
    assert text.startswith(name + ':'), text
    nodes = []
    for node in text[len(name) + 1:].split('|'):
        a_in, a_op, b_in, b_op = node.split()
        nodes.append(((int(a_in), a_op), (int(b_in), b_op)))
    assert len(nodes) == CNN_NODES
    return nodes


class Cell(nn.Module):
    def __init__(self, nodes, reduction, in0, in1, in0_is_larger, channels):
        super().__init__()
        self.pre0 = relu_conv_bn(in0, channels, 1, 2 if in0_is_larger else 1)
        self.pre1 = relu_conv_bn(in1, channels, 1, 1)
        self.inputs = [[b[0] for b in node] for node in nodes]
        self.branches = nn.ModuleList(
            nn.ModuleList(op_module(op, channels, 2 if reduction and i < 2 else 1) for i, op in node) for node in nodes
        )
        used = {i for node in nodes for i, _ in node}
        self.loose_ends = [s for s in range(2, CNN_NODES + 2) if s not in used]
        self.out_channels = len(self.loose_ends) * channels

    def forward(self, s0, s1):
        states = [self.pre0(s0), self.pre1(s1)]
        for inputs, modules in zip(self.inputs, self.branches):
            states.append(modules[0](states[inputs[0]]) + modules[1](states[inputs[1]]))
        ends = [states[s] for s in self.loose_ends]
        return ends[0] if len(ends) == 1 else torch.cat(ends, 1)


class CnnMicroNet(nn.Module):
    def __init__(self, arch, in_channels, classes, filters, cells_per_stage):
        super().__init__()
        normal_text, reduce_text = arch.split(';')
        normal, reduce = parse_cell(normal_text, 'normal'), parse_cell(reduce_text, 'reduce')
        channels = filters
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, channels, 3, padding=1, bias=False), nn.BatchNorm2d(channels, eps=1e-5, momentum=0.1)
        )
        cells = []
        c0, c1, in0_is_larger = channels, channels, False
        for stage in range(3):
            if stage > 0:
                channels *= 2
                cell = Cell(reduce, True, c0, c1, in0_is_larger, channels)
                cells.append(cell)
                c0, c1, in0_is_larger = c1, cell.out_channels, True
            for _ in range(cells_per_stage):
                cell = Cell(normal, False, c0, c1, in0_is_larger, channels)
                cells.append(cell)
                c0, c1, in0_is_larger = c1, cell.out_channels, False
        self.cells = nn.ModuleList(cells)
        self.classifier = nn.Linear(c1, classes)

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(F.relu(s1).mean((2, 3)))


ACTIVATIONS = {'tanh': torch.tanh, 'relu': F.relu, 'identity': lambda x: x, 'sigmoid': torch.sigmoid}


class RnnLm(nn.Module):
    """Embedding, the searched highway cell (mean of its 12 nodes), tied softmax decoder."""

    def __init__(self, arch, vocab, hidden, dropout):
        super().__init__()
        self.nodes = [(int(p), a) for p, a in (node.split() for node in arch.split('|'))]
        self.hidden, self.dropout = hidden, dropout
        limit = math.sqrt(1 / hidden)
        uniform = lambda *shape, bound: nn.Parameter(torch.empty(*shape).uniform_(-bound, bound))
        self.embedding = uniform(vocab, hidden, bound=0.1)
        self.w0x = uniform(hidden, 2 * hidden, bound=limit)
        self.w0h = uniform(hidden, 2 * hidden, bound=limit)
        self.node_weights = nn.ParameterList(uniform(hidden, 2 * hidden, bound=limit) for _ in self.nodes)
        self.bias = nn.Parameter(torch.zeros(vocab))

    @staticmethod
    def highway(prev, pre, activation):
        c, h = pre.chunk(2, 1)
        return prev + torch.sigmoid(c) * (activation(h) - prev)

    def forward(self, tokens, state):
        steps, batch = tokens.shape
        embedded = F.dropout(F.embedding(tokens.reshape(-1), self.embedding), self.dropout, self.training)
        x_proj = (embedded @ self.w0x).view(steps, batch, 2 * self.hidden)
        outputs = []
        h_prev = state
        for x in x_proj:
            states = [self.highway(h_prev, x + h_prev @ self.w0h, torch.tanh)]
            for (prev, activation), w in zip(self.nodes, self.node_weights):
                states.append(self.highway(states[prev], states[prev] @ w, ACTIVATIONS[activation]))
            h_prev = torch.stack(states[1:]).mean(0)
            outputs.append(h_prev)
        out = F.dropout(torch.cat(outputs), self.dropout, self.training)
        return F.linear(out, self.embedding, self.bias), h_prev


def sgd_step(model, optimizer, loss, clip):
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    value = loss.item()
    if math.isfinite(value):
        if clip > 0:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
    return value


def optimizer_for(model, sgd):
    return torch.optim.SGD(model.parameters(), lr=sgd['lr'], momentum=sgd['momentum'], weight_decay=sgd['weightDecay'])


def build_cnn(ref):
    h, w, c = ref['inputShape']
    model = CnnMicroNet(ref['arch'], c, ref['classes'], ref['filters'], ref['cellsPerStage']).train()
    optimizer = optimizer_for(model, ref['sgd'])
    x = torch.randn(ref['batch'], c, h, w)
    y = torch.randint(0, ref['classes'], (ref['batch'],))
    step = lambda: sgd_step(model, optimizer, F.cross_entropy(model(x), y), ref['sgd']['gradClip'])
    return model, ref['batch'], step


def build_lm(ref):
    model = RnnLm(ref['arch'], ref['vocab'], ref['hidden'], ref['dropout']).train()
    optimizer = optimizer_for(model, ref['sgd'])
    tokens = torch.randint(0, ref['vocab'], (ref['bptt'], ref['batch']))
    targets = torch.randint(0, ref['vocab'], (ref['bptt'] * ref['batch'],))
    state = [torch.zeros(ref['batch'], ref['hidden'])]

    def step():
        logits, last = model(tokens, state[0])
        state[0] = last.detach()  # truncated BPTT: the state is carried, not its gradient
        return sgd_step(model, optimizer, F.cross_entropy(logits, targets), ref['sgd']['gradClip'])

    return model, ref['bptt'] * ref['batch'], step


def blas_library():
    """The BLAS shared library this process loaded (PyTorch's matrix products go through it)."""
    try:
        with open('/proc/self/maps') as maps:
            libs = {line.split()[-1] for line in maps if 'blas' in line.lower()}
        return ', '.join(sorted(libs)) or 'none found'
    except OSError:
        return 'unknown'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, required=True)
    parser.add_argument('--nets', default='cnn,lm')
    parser.add_argument('--steps', type=int, default=20)
    parser.add_argument('--seconds', type=float, default=20)
    parser.add_argument('--warmup', type=int, default=2)
    args = parser.parse_args()
    refs = json.load(sys.stdin)
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    nets = []
    for name in args.nets.split(','):
        model, items, step = (build_cnn if name == 'cnn' else build_lm)(refs[name])
        loss = float('nan')
        for _ in range(args.warmup):
            loss = step()
        step_ms, step_cpu_ms = [], []
        deadline = time.perf_counter() + args.seconds
        while len(step_ms) < args.steps and (not step_ms or time.perf_counter() < deadline):
            start, start_cpu = time.perf_counter(), time.process_time()
            loss = step()
            step_cpu_ms.append((time.process_time() - start_cpu) * 1000)
            step_ms.append((time.perf_counter() - start) * 1000)
        nets.append({
            'net': name,
            'params': sum(p.numel() for p in model.parameters()),
            'itemsPerStep': items,
            'stepMs': step_ms,
            'stepCpuMs': step_cpu_ms,
            'perSecond': items * 1000 / statistics.median(step_ms),
            'lastLoss': loss,
        })
    blas = blas_library()
    print(json.dumps({
        'backend': 'pytorch',
        'version': torch.__version__,
        'threads': torch.get_num_threads(),
        'reason': f'PyTorch {torch.__version__} on the CPU, {torch.get_num_threads()} threads, BLAS {blas}',
        'blas': blas,
        'nets': nets,
    }))


if __name__ == '__main__':
    main()

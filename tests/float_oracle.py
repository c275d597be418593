"""An independent float implementation of training runs (plain Python, written from the
textbook formulas, sharing nothing with the engine): forward pass, loss, backward pass and
the updates of every mode (online, batch, mini-batch), given or shuffled order, momentum.
The tests compare the engine's exact runs, and the answers of exams that ask about runs,
against it."""

from __future__ import annotations

import math
import random

# --- the oracle: floats, from the formulas -------------------------------------------------------


def _act(name: str, nets: list[float], slope: float) -> list[float]:
    if name == "softmax":
        top = max(nets)
        e = [math.exp(z - top) for z in nets]
        return [x / sum(e) for x in e]
    f = {"sigmoid": lambda z: 1 / (1 + math.exp(-z)), "tanh": math.tanh, "identity": lambda z: z,
         "bipolar_sigmoid": lambda z: 2 / (1 + math.exp(-z)) - 1,
         "relu": lambda z: max(0.0, z), "leaky_relu": lambda z: z if z > 0 else slope * z}[name]
    return [f(z) for z in nets]


def _jacobian(name: str, nets: list[float], outs: list[float], slope: float) -> list[list[float]]:
    """d out_k / d net_j."""
    n = len(nets)
    if name == "softmax":
        return [[outs[k] * ((k == j) - outs[j]) for j in range(n)] for k in range(n)]
    d = {"sigmoid": lambda z, o: o * (1 - o), "tanh": lambda z, o: 1 - o * o, "identity": lambda z, o: 1.0,
         "bipolar_sigmoid": lambda z, o: (1 + o) * (1 - o) / 2,
         "relu": lambda z, o: 1.0 if z > 0 else 0.0, "leaky_relu": lambda z, o: 1.0 if z > 0 else slope}[name]
    return [[d(nets[k], outs[k]) if k == j else 0.0 for j in range(n)] for k in range(n)]


def _loss(name: str, outs: list[float], targets: list[float]) -> tuple[float, list[float]]:
    """E of one sample and dE/dout."""
    n = len(outs)
    if name == "half_sse":
        return sum((t - o) ** 2 / 2 for o, t in zip(outs, targets)), [o - t for o, t in zip(outs, targets)]
    if name == "sse":
        return sum((t - o) ** 2 for o, t in zip(outs, targets)), [2 * (o - t) for o, t in zip(outs, targets)]
    if name == "mse":
        return sum((t - o) ** 2 / n for o, t in zip(outs, targets)), [2 * (o - t) / n for o, t in zip(outs, targets)]
    if name == "cross_entropy":
        return (-sum(t * math.log(o) for o, t in zip(outs, targets) if t),
                [-t / o if t else 0.0 for o, t in zip(outs, targets)])
    return (-sum(t * math.log(o) + (1 - t) * math.log(1 - o) for o, t in zip(outs, targets)),
            [(o - t) / (o * (1 - o)) for o, t in zip(outs, targets)])


class Oracle:
    def __init__(self, spec):
        self.spec = spec
        self.layers = spec.layers
        self.sign = -1.0 if spec.bias_convention == "threshold" else 1.0
        self.incoming = {u: [(w.name, w.source) for w in spec.weights if w.target == u]
                         for layer in spec.layers for u in layer.units}
        self.bias = {u: b.name for b in spec.biases for u in b.units}

    def forward(self, p: dict[str, float], x: dict[str, float]):
        out, net = dict(x), {}
        for layer in self.layers[1:]:
            nets = [sum(p[w] * out[s] for w, s in self.incoming[u])
                    + (self.sign * p[self.bias[u]] if u in self.bias else 0) for u in layer.units]
            slope = float(layer.slope) if layer.slope is not None else 0.01
            for u, z, o in zip(layer.units, nets, _act(layer.activation, nets, slope)):
                net[u], out[u] = z, o
        return net, out

    def gradient(self, p, batch):
        g = {name: 0.0 for name in p}
        error = 0.0
        for sample in batch:
            x = {u: float(v) for u, v in sample.input}
            t = [float(v) for _, v in sample.target]
            net, out = self.forward(p, x)
            outputs = self.layers[-1].units
            e, dout = _loss(self.spec.loss, [out[u] for u in outputs], t)
            error += e
            d_out = dict(zip(outputs, dout))
            delta = {}
            for layer in reversed(self.layers[1:]):
                units = layer.units
                slope = float(layer.slope) if layer.slope is not None else 0.01
                for u in units:
                    d_out.setdefault(u, 0.0)
                    for w in self.spec.weights:
                        if w.source == u:
                            d_out[u] += delta[w.target] * p[w.name]
                jac = _jacobian(layer.activation, [net[u] for u in units], [out[u] for u in units], slope)
                for j, u in enumerate(units):
                    delta[u] = sum(jac[k][j] * d_out[units[k]] for k in range(len(units)))
            for w in self.spec.weights:
                g[w.name] += delta[w.target] * out[w.source]
            for b in self.spec.biases:
                g[b.name] += sum(self.sign * delta[u] for u in b.units)
        return g, error

    def run(self):
        spec, training = self.spec, self.spec.training
        p = {w.name: float(w.value) for w in spec.weights} | {b.name: float(b.value) for b in spec.biases}
        v = dict.fromkeys(p, 0.0)
        rate, mu = float(spec.learning_rate), float(training.momentum)
        n = len(spec.samples)
        size = {"online": 1, "batch": n, "minibatch": training.batch_size}[training.mode]
        rng = random.Random(training.seed)
        epochs = []
        for _ in range(training.epochs):
            order = list(range(n))
            if training.order == "shuffle":
                rng.shuffle(order)
            steps = []
            for i in range(0, n, size):
                g, _ = self.gradient(p, [spec.samples[k] for k in order[i:i + size]])
                for name in p:
                    if name in {b.name for b in spec.biases} and not spec.update_biases:
                        continue
                    v[name] = mu * v[name] - rate * g[name]
                    p[name] = p[name] + v[name]
                steps.append((dict(g), dict(p)))
            _, error = self.gradient(p, spec.samples)
            epochs.append((steps, dict(p), error))
        return epochs

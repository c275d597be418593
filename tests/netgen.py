"""Random feed-forward networks for the oracle tests: every activation (softmax on the
output layer) and every loss that fits the output, skip edges, shared, per-unit and
missing biases, added or subtracted (thresholds), one or two samples, exact fractions."""

from __future__ import annotations

import random

from symprop.spec import Spec, choices, parse_spec

HIDDEN = sorted(a for a in choices.ACTIVATIONS if a not in choices.OUTPUT_ONLY)


def _value(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return f"{rng.choice([-2, -1, 1, 2])}/{rng.choice([3, 7])}"
    return str(rng.randint(-10, 10) / 10)


def random_spec_data(seed: int, max_hidden: int = 2, max_width: int = 3) -> dict:
    rng = random.Random(seed)
    sizes = [rng.randint(1, max_width) for _ in range(rng.randint(0, max_hidden) + 2)]
    names = ["input"] + [f"hidden{k}" for k in range(1, len(sizes) - 1)] + ["output"]
    units = [[f"{'iho'[min(i, 1) if i < len(sizes) - 1 else 2]}{i}_{k}" for k in range(n)] for i, n in enumerate(sizes)]
    layers = [{"name": names[0], "units": units[0]}]
    for i in range(1, len(sizes)):
        last = i == len(sizes) - 1
        pool = HIDDEN + (["softmax"] * 2 if last and sizes[i] > 1 else [])
        layer = {"name": names[i], "units": units[i], "activation": rng.choice(pool)}
        if layer["activation"] == "leaky_relu" and rng.random() < 0.5:
            layer["slope"] = "1/5"
        layers.append(layer)
    weights: dict[str, str] = {}
    edges = set()
    for i in range(1, len(sizes)):
        for target in units[i]:
            sources = [s for s in units[i - 1] if rng.random() < 0.8] or [rng.choice(units[i - 1])]
            sources += [s for j in range(i - 1) for s in units[j] if rng.random() < 0.3]
            edges.update((s, target) for s in sources)
    for i in range(len(sizes) - 1):  # every unit but the outputs must feed a later unit
        for source in units[i]:
            if not any(s == source for s, _ in edges):
                edges.add((source, rng.choice(units[i + 1])))
    for k, (source, target) in enumerate(sorted(edges)):
        weights[f"w{k + 1}"] = f"{source} -> {target} = {_value(rng)}"
    biases: dict[str, str] = {}
    for i in range(1, len(sizes)):
        kind = rng.choice(["none", "shared", "per_unit"])
        if kind == "shared":
            biases[f"b{i}"] = f"{', '.join(units[i])} = {_value(rng)}"
        elif kind == "per_unit":
            for unit in units[i]:
                biases[f"b_{unit}"] = f"{unit} = {_value(rng)}"
    output = layers[-1]["activation"]
    losses = sorted(loss for loss in choices.LOSSES if output in choices.LOSS_OUTPUTS.get(loss, (output,)))
    samples = [
        {"input": {u: _value(rng) for u in units[0]}, "target": _targets(rng, units[-1], output)}
        for _ in range(rng.randint(1, 2))
    ]
    return {
        "loss": rng.choice(losses),
        "bias_convention": rng.choice(sorted(choices.BIAS_CONVENTIONS)),
        "learning_rate": "0.5",
        "rounding": {"places": 5, "mode": "round", "carry": "exact"},
        "layers": layers,
        "weights": weights,
        "biases": biases,
        "samples": samples,
    }


def _targets(rng: random.Random, outputs: list[str], activation: str) -> dict[str, str]:
    """Probabilities; for softmax outputs a distribution (one-hot or split) summing to 1."""
    if activation != "softmax":
        return {u: str(rng.randint(0, 10) / 10) for u in outputs}
    cuts = sorted(rng.randint(0, 10) for _ in outputs[1:])
    shares = [b - a for a, b in zip([0] + cuts, cuts + [10])]
    return {u: f"{share}/10" for u, share in zip(outputs, shares)}


def random_spec(seed: int, **kwargs) -> Spec:
    return parse_spec(random_spec_data(seed, **kwargs), source=f"random-{seed}")

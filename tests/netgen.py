"""Random feed-forward networks for the oracle tests: every activation and loss, skip
edges, shared, per-unit and missing biases, one or two samples, exact fractions."""

from __future__ import annotations

import random

from symprop.core.rules import ACTIVATIONS, LOSSES
from symprop.spec import Spec, parse_spec


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
        layer = {"name": names[i], "units": units[i], "activation": rng.choice(sorted(ACTIVATIONS))}
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
    samples = [
        {
            "input": {u: _value(rng) for u in units[0]},
            "target": {u: str(rng.randint(0, 10) / 10) for u in units[-1]},
        }
        for _ in range(rng.randint(1, 2))
    ]
    return {
        "loss": rng.choice(sorted(LOSSES)),
        "learning_rate": "0.5",
        "rounding": {"places": 5, "mode": "round", "carry": "exact"},
        "layers": layers,
        "weights": weights,
        "biases": biases,
        "samples": samples,
    }


def random_spec(seed: int, **kwargs) -> Spec:
    return parse_spec(random_spec_data(seed, **kwargs), source=f"random-{seed}")

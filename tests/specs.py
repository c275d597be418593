"""Networks several test modules build on, as spec text (the same numbers everywhere)."""

# A 2-2-1 XOR network with the weights of Negnevitsky's example (its thresholds here added as
# biases: see xor-threshold-2-2-1 for the book's own convention) and the four patterns: the
# layers and samples of a spec; a module adds its learning rate, training and rounding.
XOR_NETWORK = """\
layers:
  - {units: [x1, x2]}
  - {units: [h1, h2], activation: sigmoid, weights: [[0.5, 0.4], [0.9, 1.0]], bias: [0.8, -0.1]}
  - {units: [o], activation: sigmoid, weights: [[-1.2, 1.1]], bias: [0.3]}
samples:
  - {input: [0, 0], target: [0]}
  - {input: [0, 1], target: [1]}
  - {input: [1, 0], target: [1]}
  - {input: [1, 1], target: [0]}
"""

# Three online epochs with momentum 0.9 at learning rate 0.5 (a module adds its rounding).
XOR_RUN = "learning_rate: 0.5\ntraining: {epochs: 3, mode: online, momentum: 0.9}\n"

# A 3-4-3-2 network: tanh and sigmoid hidden layers, shared and per-unit biases, no output bias.
DENSE_3432 = """
title: 3-4-3-2
learning_rate: 0.5
layers:
  - {units: 3}
  - {units: 4, activation: tanh, bias: 0.1,
     weights: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [-0.1, -0.2, -0.3], [0.2, 0.1, -0.2]]}
  - {units: 3, activation: sigmoid, bias: [0.1, 0.2, 0.3],
     weights: [[0.1, 0.2, 0.3, 0.4], [0.4, 0.5, -0.6, 0.7], [-0.1, -0.2, -0.3, 0.4]]}
  - {units: 2, activation: sigmoid, weights: [[0.5, -0.5, 0.25], [0.1, 0.2, 0.3]]}
samples:
  - {input: [1, 0.5, -1], target: [0.3, 0.9]}
"""

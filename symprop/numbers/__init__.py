"""The numbers of a training step: decimal arithmetic at full precision, the one evaluator
(with the hooks the checker's named trace uses) and the solved step with its JSON."""

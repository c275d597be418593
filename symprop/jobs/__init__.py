"""The jobs symprop is used for: worked solutions, slides, exams and checking hand
derivations. Each takes a typed option record from the CLI; ``files`` is the only module
that writes to disk."""

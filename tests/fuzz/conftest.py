"""Hypothesis profiles of the fuzzing suite: ``default`` (a fixed seed, a few hundred cases
in all, part of every test run) and ``long`` (at least 10,000 cases in all:
``python3 -m pytest tests/fuzz -n auto --hypothesis-profile=long``). Loaded before pytest
configures Hypothesis when ``tests/fuzz`` is named on the command line."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("default", max_examples=60, derandomize=True, deadline=None, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("long", max_examples=2000, derandomize=False, deadline=None, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.load_profile(os.environ.get("SYMPROP_FUZZ_PROFILE", "default"))

"""``python -m symprop``: the same as the ``symprop`` command."""

import sys

from .cli import main

sys.exit(main())

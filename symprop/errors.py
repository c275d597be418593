"""The one exception type of symprop: a message that names the culprit.

Every error a user can cause (a bad spec, an unknown example, a bad option) is a
``SympropError``; the CLI catches exactly this type, prints its one line and exits 2.
"""


class SympropError(Exception):
    """Bad input: the message names the file, the key, the value and what is allowed."""

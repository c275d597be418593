"""Rendering: the Jinja environment and filters, the LaTeX printer, notation presets, the
prepared contexts of documents, decks and exam sheets, and the network drawing's layout.
All format knowledge lives here and in ``templates/``."""

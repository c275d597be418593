"""Every list of choices a user can name, in a spec or on the command line: the one source.

The spec reader, the rules table, the notation presets, the renderers and the CLI all take
their allowed values from here, so a new word is added once. Tables keyed by these names
(``core.rules``, ``render.notation``) check at import that they cover exactly these.
"""

ACTIVATIONS = ("identity", "sigmoid", "tanh", "bipolar_sigmoid", "relu", "leaky_relu", "softmax")
LOSSES = ("half_sse", "mse", "sse", "cross_entropy", "binary_cross_entropy")
OUTPUT_ONLY = ("softmax",)  # activations of the output layer only (they couple its units)
# the output activations a loss goes with (a loss not listed goes with every activation)
LOSS_OUTPUTS = {"cross_entropy": ("softmax", "sigmoid"), "binary_cross_entropy": ("sigmoid",)}
PROBABILITY_LOSSES = ("cross_entropy", "binary_cross_entropy")  # targets must be probabilities
BIAS_CONVENTIONS = ("add", "threshold")  # net = sum w x + b, or net = sum w x - theta
TRAINING_MODES = ("online", "batch", "minibatch")  # when the weights are updated
TRAINING_ORDERS = ("given", "shuffle")
QUANTITY_KINDS = ("net", "out", "error", "factor", "delta", "gradient", "update")  # places may differ by kind
NOTATIONS = ("sum_output", "pre_post", "bishop", "layer_superscript")  # the notation presets
ROUNDING_MODES = ("round", "truncate")
CARRY_MODES = ("exact", "shown")

NUMERIC_STYLES = ("chain", "delta", "matrix")  # the styles worked with numbers
STYLES = NUMERIC_STYLES + ("general",)  # how a worked solution derives the gradients (general: no numbers)
NUMBERS = ("all", "none")  # a chain or delta worked solution with its numbers, or symbolic only
SYMBOLIC_STYLES = ("chain", "delta")  # the styles that can be written without numbers
FORMS = ("chain", "delta")  # how a hand calculation adds up a gradient (chain style, or the others)
SOLVE_FORMATS = ("json", "md", "tex", "pdf", "html")
ASPECTS = ("169", "43")  # slide aspect ratios
SLIDES_FORMATS = ("beamer", "html")  # a Beamer deck (slides.tex, .pdf), or a reveal.js one (slides.html)
REPORT_FORMATS = ("text", "md", "json")  # the checker's reports


def form_of(style: str) -> str:
    """How a document in ``style`` adds up its gradients: chain products, or δ × input."""
    return "chain" if style == "chain" else "delta"


def covered(table: dict, names: tuple[str, ...], what: str) -> dict:
    """``table`` when its keys are exactly ``names`` (in that order); a programming error otherwise."""
    if tuple(table) != names:
        raise RuntimeError(f"{what}: the table has {', '.join(table)}; the choices are {', '.join(names)}")
    return table

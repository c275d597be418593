"""The core: derivative rules as data, the network graph of SymPy symbols, the chain-rule
derivations read off it, and the oracle that proves them (``proof``). Maths only: no
numbers at working precision, no formats."""

"""``python -m benchmarks.generate``: see the package's docstring."""

from benchmarks.generate import main

main()

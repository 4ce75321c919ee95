"""`python -m faasdrift` runs the same CLI as the `faasdrift` console script."""

from __future__ import annotations

from faasdrift.cli.entry import main

if __name__ == "__main__":
    main()

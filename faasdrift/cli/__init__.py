"""The click layer: options in, settings built, a workflow run, its result printed, an exit code.

No logic of its own, and the one error boundary (``error_boundary``). Commands are loaded by name
only when they run (``lazy_group``), so ``faasdrift --version`` and ``--help`` stay fast.
"""

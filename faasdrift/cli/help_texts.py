"""Help texts several commands show: each command's exit codes and where the API key comes from."""

from __future__ import annotations

EXIT_CODES_HELP = """\b
Exit codes:
  0    all functions in sync
  1    drift found (changed or missing functions, or with --unmanaged live
       functions no file declares)
  2    invalid input or usage (bad YAML, schema violation, bad option, missing or
       malformed API key, a scope that selects nothing)
  3    check incomplete (authentication, network or API errors); wins over 1,
       and the report still shows all drift found
  4    internal error (please report it; --debug shows the traceback)
  130  interrupted (Ctrl-C)
  143  terminated (SIGTERM)"""

_TAIL = """
  4    internal error (please report it; --debug shows the traceback)
  130  interrupted (Ctrl-C)
  143  terminated (SIGTERM)"""

IMPORT_EXIT_CODES_HELP = (
    """\b
Exit codes:
  0    every function of the namespaces was imported
  2    invalid input or usage (bad option, missing or malformed API key, an existing
       output file without --force)
  3    the import could not be completed (authentication, network or API errors);
       nothing is written"""
    + _TAIL
)

SNAPSHOT_EXIT_CODES_HELP = (
    """\b
Exit codes:
  0    every declared function was fetched, or found missing
  2    invalid input or usage (bad YAML, schema violation, bad option, missing or
       malformed API key, an existing output file without --force)
  3    some functions could not be fetched (authentication, network or API errors);
       the snapshot is written and records why"""
    + _TAIL
)

KEY_HELP = (
    "\b\nThe API key is read from GCORE_API_KEY or --api-key-file, never from the command line."
)

GATE_EXIT_CODES_HELP = """\b
Exit codes:
  0    safe to deploy: no hand change would be lost
  1    the deploy would overwrite or conflict with a hand change (--fail-on)
  2    invalid input or usage (either state's files, --base-ref, a bad option)
  3    gate incomplete (a function could not be checked, even with --fail-on none);
       wins over 1, and the report still shows everything found
  4    internal error (please report it; --debug shows the traceback)
  130  interrupted (Ctrl-C)
  143  terminated (SIGTERM)"""

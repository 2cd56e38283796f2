"""`python -m citecheck` runs the command line."""

from citecheck.process import console

raise SystemExit(console())

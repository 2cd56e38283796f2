"""The two ways citecheck can fail as a program, as opposed to finding problems in a brief.

Everything else that goes wrong is data: a finding, or a link result with a verdict.
"""


class InputError(Exception):
    """The input cannot be read as a brief: exit code 2, one line on stderr."""


class CannotRunError(Exception):
    """The check itself could not run (e.g. the network is unreachable): exit code 3."""

"""Errors that reach the user as one line and a distinct exit code."""


class OspInputError(ValueError):
    """Bad input from the user (CLI flag, file, claim): exit code 2."""


EXIT_OK = 0
EXIT_FAILED = 1  # something refuted, unknown, or a claim refuted
EXIT_BAD_INPUT = 2

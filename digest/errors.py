"""Errors a user sees as one line: the file and the reason."""
import click


class InputError(click.ClickException):
    """A seed file that cannot be read; the build skips it and names it."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason

"""The one exception that rejects a whole file."""


class FileRejected(Exception):
    """The file cannot be used at all; the message names the problem (never a clear identifier)."""

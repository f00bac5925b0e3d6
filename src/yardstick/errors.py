"""The root of yardstick's own exceptions.

Every error a user can cause (a bad document, a bad file, a bad formula) is a subclass of
:class:`YardstickError`; the CLI turns these into a one-line message and a non-zero exit code.
"""


class YardstickError(Exception):
    """An error caused by input the user can fix; its message is meant for that user."""

"""What goes wrong when the demo is built or deleted."""


class DemoError(Exception):
    """The demo cannot be built as asked."""


class DemoExists(DemoError):
    """The demo trust is already there."""

"""The demo rows of partnership programmes: a university's MA with the demo trust."""

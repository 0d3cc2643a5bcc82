"""The version, in a module of its own so that any module may import it without
importing the package's public API."""

__version__ = "0.2.0"

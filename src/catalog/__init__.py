"""catalog: a static-site generator for catalogs of micro-credentials."""

__version__ = "0.4.0"

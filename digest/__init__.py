"""digest: turn a folder of raw news articles into a searchable static site."""

__version__ = "0.1.0"

"""microlearn: a static site generator for multilingual micro-learning."""

__version__ = "0.1.0"

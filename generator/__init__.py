"""Huiyin (回音): a Git-based transparency portal for local government."""

__version__ = "0.1.0"

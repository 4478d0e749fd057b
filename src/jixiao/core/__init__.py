"""Shared building blocks of the Django apps: base models, service errors, tree checks."""

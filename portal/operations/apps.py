from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Management commands and helpers for operators; no models, no pages (so no text to translate)."""

    name = "portal.operations"
    label = "operations"

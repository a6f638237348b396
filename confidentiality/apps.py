from django.apps import AppConfig


class ConfidentialityConfig(AppConfig):
    name = "confidentiality"
    verbose_name = "Confidentiality"

"""The REST API under /api/v1/: the shared plumbing (authentication, permissions, errors, schema helpers).

Each app's serializers and viewsets live in its own `api.py`; this package only wires them together.
"""

"""The shared kernel: small pieces every app uses (forms, task queueing, downloads, exports).

It imports no app of the project — only Django and libraries — so any layer may import it
(checked by import-linter in `make lint`).
"""

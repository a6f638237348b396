"""Development tooling: the demo data library (`demo/`), `manage.py seed_demo` over it, and `make run`'s server
(`devserver`).

The demo data spans every app (accounts, organizations, programs, contacts, demarches, the IGO tables), so this
package sits above them all: it may import any app and no app imports it. It is installed in every settings so the
command exists everywhere; the command refuses to run with production settings.
"""

"""The demo data library behind `manage.py seed_demo`, one module per part of the portal it fills:

- `seed` — the entry point: everything below in one transaction, and the counts the command prints;
- `accounts` — one demo account per role, and the demo users who act for the rest;
- `organizations` — which reference organizations the demo spreads over, in a fixed order;
- `programs` — N generated programs, COPYed in (`portal.kernel.bulk_copy`) with their grants rebuilt in bulk;
- `contacts` — points of contact and demarches (the `contacts` app), through its services;
- `igo_tables` — the Committee's interactions with IROs (the `iros` app), through its services;
- `data` — the fixed vocabularies the generators draw from.

Everything is reproducible (seeded generators, plans from fixed positions) and idempotent (a re-run adds only what
is missing).
"""


class DemoDataError(Exception):
    """Some demo data cannot be created; the message says which and why."""

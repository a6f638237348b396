"""`migrate` over the owner's connection: the application's role may not change the schema (see database_roles).

Without MIGRATION_DATABASE_URL the `migration` alias is DATABASE_URL's database and user, so development's one URL
serves both; `--database` still picks another alias.
"""

from django.core.management.commands import migrate

from portal.security.database_roles import OWNER_DATABASE


class Command(migrate.Command):
    help = f"{migrate.Command.help} Runs as the owner: the '{OWNER_DATABASE}' database alias unless --database."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(database=OWNER_DATABASE)

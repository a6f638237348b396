"""The import history, taken over from the programs app (`programs.0008_move_import_jobs` renamed its table):
this creates the model in the state only, then gives every job its kind (the existing ones imported programs)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("iros", "0002_initial"),
        ("programs", "0008_move_import_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created")),
                        ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished")),
                        ("filename", models.CharField(max_length=255, verbose_name="file name")),
                        (
                            "stored_file",
                            models.CharField(blank=True, help_text="Deleted once the job has run.", max_length=255),
                        ),
                        ("inline", models.BooleanField(default=False, verbose_name="run inline")),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("queued", "queued"),
                                    ("running", "running"),
                                    ("done", "done"),
                                    ("failed", "failed"),
                                    ("cancelled", "cancelled"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="state",
                            ),
                        ),
                        ("cancel_requested", models.BooleanField(default=False)),
                        ("rows_total", models.PositiveIntegerField(default=0, verbose_name="rows")),
                        ("rows_done", models.PositiveIntegerField(default=0, verbose_name="rows done")),
                        (
                            "result",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="Counts and errors, as the API's.",
                                verbose_name="result",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="import_jobs",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="by",
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                blank=True,
                                help_text="The importer's organization; for an administrator, the one chosen for rows "
                                "naming none.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="import_jobs",
                                to="iros.organization",
                                verbose_name="organization",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import",
                        "verbose_name_plural": "imports",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
            ],
        ),
        migrations.AddField(
            model_name="importjob",
            name="kind",
            field=models.CharField(
                default="programs",
                help_text="What was imported: programs, contacts, …",
                max_length=32,
                verbose_name="kind",
            ),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="importjob",
            index=models.Index(fields=["kind", "-created_at"], name="importjob_kind_created_idx"),
        ),
        migrations.AddIndex(
            model_name="importjob",
            index=models.Index(
                condition=models.Q(("state", "running")), fields=["started_at"], name="importjob_running_idx"
            ),
        ),
    ]

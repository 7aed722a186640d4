"""The PostgreSQL search engine's tables, views of public rows and the role that reads them.

PostgreSQL only (the engine is ``minutes.search.postgres``; on SQLite the models are unmanaged
and nothing is created). The role ``minutes_search_public`` may read only the two views, which
join the search rows to the live ``minutes_meeting`` rows that are published and 主动公开 (the
condition of ``Meeting.objects.published()``): a public search runs under that role, so no
filter a bug could drop shows a draft. Roles belong to the whole server: it is created when
missing and granted to the user that runs the migration, which ``SET ROLE`` needs.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

ROLE = "minutes_search_public"

TABLES = """
CREATE TABLE minutes_search_document (
    meeting_id integer PRIMARY KEY,
    updated timestamp with time zone,
    items integer NOT NULL,
    year integer,
    kind text NOT NULL,
    issuer text,
    doc_number text,
    date date,
    organizations text[] NOT NULL,
    people text[] NOT NULL,
    title tsvector NOT NULL,
    chair tsvector NOT NULL
);
CREATE TABLE minutes_search_text (
    meeting_id integer NOT NULL,
    part smallint NOT NULL,
    words tsvector NOT NULL,
    grams tsvector NOT NULL,
    PRIMARY KEY (meeting_id, part)
);
"""

VIEWS = f"""
CREATE VIEW minutes_search_public_document AS
    SELECT s.* FROM minutes_search_document s JOIN minutes_meeting m ON m.id = s.meeting_id
    WHERE m.status = 'published' AND m.disclosure = 'public';
CREATE VIEW minutes_search_public_text AS
    SELECT s.* FROM minutes_search_text s JOIN minutes_meeting m ON m.id = s.meeting_id
    WHERE m.status = 'published' AND m.disclosure = 'public';
DO $$ BEGIN
    CREATE ROLE {ROLE} NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
GRANT SELECT ON minutes_search_public_document, minutes_search_public_text TO {ROLE};
DO $$ BEGIN
    IF NOT pg_has_role(current_user, '{ROLE}', 'MEMBER') THEN
        EXECUTE format('GRANT {ROLE} TO %I', current_user);
    END IF;
END $$;
"""


def index_sql(method: str) -> str:
    options = "rum_tsvector_ops" if method == "rum" else ""
    return "".join(
        f"CREATE INDEX minutes_search_text_{column} ON minutes_search_text "
        f"USING {method} ({column} {options});\n"
        for column in ("words", "grams")
    )


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(TABLES)
        # RUM (Debian's postgresql-15-rum) answers phrases from the index; GIN needs nothing.
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        method = "gin"
        if cursor.fetchone():
            cursor.execute("SAVEPOINT rum")
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
                cursor.execute("RELEASE SAVEPOINT rum")
                method = "rum"
            except Exception:  # not allowed to create extensions: GIN serves
                cursor.execute("ROLLBACK TO SAVEPOINT rum")
        cursor.execute(index_sql(method))
        cursor.execute(VIEWS)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP VIEW IF EXISTS minutes_search_public_document, minutes_search_public_text;"
            "DROP TABLE IF EXISTS minutes_search_document, minutes_search_text;"
        )


class Migration(migrations.Migration):
    dependencies = [("minutes", "0011_supervisors")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "meeting",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="minutes.meeting",
                    ),
                ),
                ("updated", models.DateTimeField(null=True)),
                ("items", models.IntegerField()),
                ("year", models.IntegerField(null=True)),
                ("kind", models.TextField()),
                ("issuer", models.TextField(null=True)),
                ("doc_number", models.TextField(null=True)),
                ("date", models.DateField(null=True)),
                (
                    "organizations",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.TextField(), size=None
                    ),
                ),
                (
                    "people",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.TextField(), size=None
                    ),
                ),
                ("title", django.contrib.postgres.search.SearchVectorField()),
                ("chair", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"db_table": "minutes_search_document", "managed": False},
        ),
        migrations.CreateModel(
            name="SearchText",
            fields=[
                ("pk", models.CompositePrimaryKey("meeting", "part", serialize=False)),
                ("part", models.SmallIntegerField()),
                ("words", django.contrib.postgres.search.SearchVectorField()),
                ("grams", django.contrib.postgres.search.SearchVectorField()),
                (
                    "meeting",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="minutes.meeting",
                    ),
                ),
            ],
            options={"db_table": "minutes_search_text", "managed": False},
        ),
        migrations.RunPython(create, drop),
    ]

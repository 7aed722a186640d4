"""The three staff roles as groups: clerks (录入), reviewers (审核) and staff readers (查阅)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "meeting",
    "agendaitem",
    "decision",
    "assignment",
    "review",
    "revieweddocument",
    "attendance",
    "distribution",
    "organization",
    "historicalmeeting",
]
CHILDREN = ["agendaitem", "decision", "assignment", "review", "attendance", "distribution"]

ROLES = {
    # Every role reads everything; only the named permissions change anything.
    "readers": [f"view_{model}" for model in MODELS],
    "clerks": [f"view_{model}" for model in MODELS]
    + ["add_meeting", "change_meeting", "submit_meeting"]
    + [f"{verb}_{model}" for model in CHILDREN for verb in ("add", "change", "delete")]
    + ["add_organization", "change_organization"]
    + ["add_revieweddocument", "change_revieweddocument"],
    "reviewers": [f"view_{model}" for model in MODELS] + ["publish_meeting"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); the groups need
    # them now, on a fresh database too.
    minutes_config = apps.get_app_config("minutes")
    minutes_config.models_module = True
    create_permissions(minutes_config, apps=apps, verbosity=0)
    minutes_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="minutes", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0002_search_queue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

"""The supervisors' group (督查), and every role reads the follow-up records.

Supervisors read everything, as staff readers do, and hold ``supervise_task``: they set due
dates, accept or return a reported completion, and close and reopen tasks. Which staff member
reports for which organisation is an OrganizationMember row, kept by the account managers.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SUPERVISORS = "supervisors"
FOLLOWUP_MODELS = [
    "task",
    "taskentry",
    "organizationmember",
    "historicaltask",
    "historicaltaskentry",
    "historicalorganizationmember",
]
EXISTING_ROLES = ["readers", "clerks", "reviewers"]
DOCUMENT_MODELS = [
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
FOLLOWUP_READING = [f"view_{model}" for model in FOLLOWUP_MODELS]
# What the group holds: read everything (as staff readers do), and supervise tasks.
SUPERVISOR_PERMISSIONS = [
    *(f"view_{model}" for model in DOCUMENT_MODELS),
    *FOLLOWUP_READING,
    "supervise_task",
]


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="minutes", codename__in=codenames)


def create_supervisors(apps, schema_editor):
    # As in 0003_roles: the permissions of the new models exist only after all migrations,
    # unless created here.
    minutes_config = apps.get_app_config("minutes")
    minutes_config.models_module = True
    create_permissions(minutes_config, apps=apps, verbosity=0)
    minutes_config.models_module = None

    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=EXISTING_ROLES):
        group.permissions.add(*_permissions(apps, FOLLOWUP_READING))
    supervisors, _created = Group.objects.get_or_create(name=SUPERVISORS)
    supervisors.permissions.set(_permissions(apps, SUPERVISOR_PERMISSIONS))


def remove_supervisors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name=SUPERVISORS).delete()
    for group in Group.objects.filter(name__in=EXISTING_ROLES):
        group.permissions.remove(*_permissions(apps, FOLLOWUP_READING))


class Migration(migrations.Migration):
    dependencies = [("minutes", "0010_followup_tasks")]

    operations = [migrations.RunPython(create_supervisors, remove_supervisors)]

"""Who may correct organisations: clerks delete unused ones and merge misspellings in their
drafts; reviewers, who vouch for public text, merge too (a merge that changes a document in
review or published needs the publish permission: minutes.organizations)."""

from django.db import migrations

GRANTS = {
    "clerks": ["delete_organization"],
    "reviewers": ["change_organization", "delete_organization"],
}


def permissions_of(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="minutes", codename__in=codenames)


def grant(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.add(*permissions_of(apps, GRANTS[group.name]))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.remove(*permissions_of(apps, GRANTS[group.name]))


class Migration(migrations.Migration):
    dependencies = [("minutes", "0005_meeting_kinds_and_source_disclosure")]

    operations = [migrations.RunPython(grant, revoke)]

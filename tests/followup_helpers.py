"""Small helpers for the follow-up tests: supervisors, an organisation's handlers, tasks."""

import importlib

from django.contrib.auth.models import Group, Permission

from minutes.models import Organization, OrganizationMember, Role, Task
from tests.conftest import signed_in

SUPERVISOR_PERMISSIONS = importlib.import_module(
    "minutes.migrations.0011_supervisors"
).SUPERVISOR_PERMISSIONS


def supervisors_group() -> Group:
    """The group of migration 0007 (a transactional test's flush removes it: made again)."""
    group, _created = Group.objects.get_or_create(name=Role.SUPERVISORS)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="minutes", codename__in=SUPERVISOR_PERMISSIONS
        )
    )
    return group


def make_supervisor(django_user_model, username="supervisor", **fields):
    user = django_user_model.objects.create_user(
        username, password="pw-for-tests-only", is_staff=True, **fields
    )
    user.groups.add(supervisors_group())
    return user


def make_handler(django_user_model, organization_name, username="handler", **fields):
    """A staff member who reports on the tasks of the organisation of that name."""
    user = django_user_model.objects.create_user(
        username, password="pw-for-tests-only", is_staff=True, **fields
    )
    OrganizationMember.objects.create(
        user=user, organization=Organization.objects.get(name=organization_name)
    )
    return user


def task_of(meeting, organization_name, item=1, position=1) -> Task:
    return Task.objects.get(
        meeting=meeting,
        organization__name=organization_name,
        item_number=item,
        decision_position=position,
    )


__all__ = ["make_handler", "make_supervisor", "signed_in", "supervisors_group", "task_of"]

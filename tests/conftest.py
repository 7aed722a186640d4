import pytest
from django.test import Client


@pytest.fixture
def staff_client(django_user_model):
    """A signed-in staff member's browser, apart from the anonymous ``client``."""
    user = django_user_model.objects.create_user(
        username="staff", password="pw-for-tests-only", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(user)
    client.user = user
    return client

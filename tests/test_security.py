"""CSRF on every form, escaped stored text, headers and a content security policy, throttled
sign-in, and a production configuration that `check --deploy` passes."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from minutes.models import Meeting
from minutes.parsing.records import AgendaItem, Attendee, Decision
from tests.conftest import signed_in
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_workflow_post_without_csrf_token_is_refused(reviewer):
    meeting = make_meeting(status=Meeting.Status.REVIEW)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    response = client.post(reverse("minutes:meeting-transition", args=[meeting.pk, "publish"]))
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.REVIEW


def test_every_post_form_on_the_pages_carries_a_csrf_token(reviewer):
    meeting = make_meeting(status=Meeting.Status.REVIEW)
    html = signed_in(reviewer).get(meeting.get_absolute_url()).content.decode()
    forms = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, flags=re.S)
    assert len(forms) >= 3  # publish, send back, language
    assert all("csrfmiddlewaretoken" in form for form in forms)


def test_stored_markup_shows_as_text_everywhere(client):
    meeting = make_meeting(
        chair="<b>x</b>",
        items=(AgendaItem(no=1, title="<i>t</i>", decisions=(Decision(no=1, text="<script>"),)),),
        observers=(Attendee(name="<img src=x>", org="<u>局</u>"),),
    )
    for url in [
        meeting.get_absolute_url(),
        reverse("minutes:home"),
        reverse("minutes:feed-atom"),
        reverse("minutes:person-detail", args=["<img src=x>"]),
    ]:
        body = client.get(url).content.decode()
        for markup in ["<script>", "<b>x</b>", "<i>t</i>", "<img src=x>", "<u>局</u>"]:
            assert markup not in body, (url, markup)


def test_pages_send_a_content_security_policy_without_inline_code(client):
    meeting = make_meeting()
    for url in [reverse("minutes:home"), meeting.get_absolute_url()]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        html = response.content.decode()
        assert "<script>" not in html and "<style" not in html and " style=" not in html
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_sign_in_is_locked_after_five_failures(django_user_model):
    django_user_model.objects.create_user("clerk", password="right-password", is_staff=True)
    client = Client()
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "clerk", "password": "wrong"})
    locked = client.post(url, {"username": "clerk", "password": "right-password"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"} and not key.startswith("SECURE_")
    } | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "minutes.example.gov.cn",
        "MINUTES_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}
    } | {"DEBUG": "0", "MINUTES_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr

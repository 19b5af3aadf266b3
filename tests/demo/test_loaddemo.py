import io
import subprocess
import sys
from pathlib import Path

from django.contrib.auth import authenticate
from django.core.management import call_command

from mueve.accounts.models import Role, User
from mueve.challenges.models import Challenge
from mueve.programs.models import Program
from mueve.stakeholders.models import Organization
from mueve.territory.models import Jurisdiction


def test_loaddemo_prints_one_working_account_per_role_and_is_idempotent(db):
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    counts = (User.objects.count(), Organization.objects.count(), Challenge.objects.count(), Program.objects.count())
    call_command("loaddemo", stdout=io.StringIO())
    assert counts == (
        User.objects.count(),
        Organization.objects.count(),
        Challenge.objects.count(),
        Program.objects.count(),
    )

    text = out.getvalue()
    assert "o311_demo_gran_concepcion_2014" in text
    assert {u.role for u in User.objects.all()} == set(Role.values)
    for user in User.objects.all():
        if user.has_usable_password():
            # Every account one can sign in with is printed, with the password that works.
            assert user.username in text
            assert authenticate(username=user.username, password="mueve2014") == user
        else:
            # Generated people (competition participants, jurors...) are labelled so and cannot sign in.
            assert "generad" in user.get_full_name()
    printed = User.objects.filter(
        username__in=[line.split("/")[0].strip() for line in text.splitlines() if "/" in line]
    )
    assert {u.role for u in printed} == set(Role.values)

    gran_concepcion = Jurisdiction.objects.get(slug="gran-concepcion")
    municipalities = set(gran_concepcion.children.values_list("name", flat=True))
    assert {"Concepción", "Talcahuano", "San Pedro de la Paz", "Chiguayante"} <= municipalities
    box3 = Challenge.objects.filter(program__slug="smart-city-gran-concepcion", kind="abstract")
    assert box3.filter(title__icontains="vandalismo").exists()


def test_mueve_command_lists_its_commands():
    mueve = Path(sys.executable).with_name("mueve")
    result = subprocess.run([str(mueve), "help"], capture_output=True, text=True, timeout=60, check=True)
    for command in ("serve", "demo", "loaddemo", "createadmin"):
        assert f"mueve {command}" in result.stdout

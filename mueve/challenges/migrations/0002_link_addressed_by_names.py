"""What addresses a challenge is no longer typed in: it is the competitions that offer the challenge
and the workshop concepts made for it. Before the free-text field goes, a name that matches a
competition or concept of the same programme becomes that link, so nothing a manager recorded
about a real competition or concept is lost (names that match nothing had nothing to link to).
The field itself goes in 0003."""

from django.db import migrations


def link_what_the_text_named(apps, schema_editor):
    Challenge = apps.get_model("challenges", "Challenge")
    Competition = apps.get_model("competitions", "Competition")
    Concept = apps.get_model("workshops", "Concept")
    for challenge in Challenge.objects.exclude(addressed_by="").iterator():
        name = challenge.addressed_by.strip()
        if challenge.addressed_via in ("", "competition"):
            for competition in Competition.objects.filter(program_id=challenge.program_id, name__iexact=name):
                competition.challenges.add(challenge)
        if challenge.addressed_via in ("", "concept"):
            # A concept already made for another challenge keeps it.
            Concept.objects.filter(
                workshop__program_id=challenge.program_id, name__iexact=name, challenge__isnull=True
            ).update(challenge=challenge)


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0001_initial"),
        ("competitions", "0001_initial"),
        ("workshops", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(link_what_the_text_named, migrations.RunPython.noop),
    ]

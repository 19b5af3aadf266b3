"""The Gran Concepción demo: the seed's tables are in the database, loading twice duplicates nothing."""

import json

import pytest
from django.test import Client

from mueve.accounts.models import User
from mueve.datasets.models import Dataset
from mueve.demo.loader import load_demo
from mueve.programs.models import Program
from mueve.workshops import selectors
from mueve.workshops.models import (
    ActionLine,
    Concept,
    ConceptStatus,
    HubModel,
    Initiative,
    PartnerCommitment,
    RoadmapLine,
    SwotItem,
    Workshop,
)

pytestmark = pytest.mark.django_db

PROGRAM = "smart-city-gran-concepcion"


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Workshop,
            Concept,
            SwotItem,
            RoadmapLine,
            Initiative,
            HubModel,
            ActionLine,
            PartnerCommitment,
            Dataset,
        )
    }


def test_seed_tables_are_in_the_demo(demo_db):
    program = Program.objects.get(slug=PROGRAM)
    concepts = {c.name: c for c in Concept.objects.filter(workshop__program=program)}
    assert set(concepts) == {"iTransConcepción", "Cuida tu Luz", "Cuido mi Barrio", "Ciudadano te Informa"}
    assert concepts["iTransConcepción"].status == ConceptStatus.SELECTED
    assert concepts["iTransConcepción"].responsible.slug == "modernizacion-gobierno-digital"
    assert concepts["Ciudadano te Informa"].prototypes.exists()
    assert concepts["Ciudadano te Informa"].status == ConceptStatus.NOT_SELECTED
    grid = selectors.roadmap_grid(program)
    assert grid.horizons == [2015, 2019, 2025]
    assert len(grid.lines) == 3
    assert Initiative.objects.filter(line__program=program).count() == 22
    assert set(HubModel.objects.values_list("name", flat=True)) == {
        "Citilab",
        "Forum Virium",
        "Waag Society",
        "Urban Lab",
    }
    assert set(ActionLine.objects.values_list("name", flat=True)) == {
        "Hub + Ocio",
        "Inn Port",
        "Smart Plan",
        "Mobile Hub",
    }
    hub = Workshop.objects.get(program=program, kind="hub")
    for group in hub.groups.all():
        sectors = {m.sector for m in group.members.all()}
        assert {"government", "private", "academia", "civil_society"} <= sectors
        assert group.expert and group.facilitator and group.spokesperson_id
    assert Dataset.objects.filter(identified_in__program=program).count() >= 5


def test_loading_twice_duplicates_nothing(demo_db):
    before = counts()
    load_demo()
    assert counts() == before


def test_replica_gets_the_workshop_formats_empty(demo_db):
    replica = Program.objects.get(slug="muevett-temuco")
    kinds = sorted(replica.workshops.values_list("kind", flat=True))
    original = sorted(Program.objects.get(slug=PROGRAM).workshops.values_list("kind", flat=True))
    assert kinds == original
    assert not Concept.objects.filter(workshop__program=replica).exists()
    # Undated, except the two the demo opened to the public so that a visitor can sign up (and see the waiting list).
    dated = replica.workshops.exclude(starts_at=None)
    assert sorted(dated.values_list("format_key", flat=True)) == ["hub-cocreation", "vision-vision"]
    assert all(w.public_registration and w.capacity and w.capacity <= 5 for w in dated)
    assert not dated.filter(registrations__isnull=False).exists()


def test_methodology_export_imported_elsewhere_yields_an_equivalent_empty_program(demo_db):
    from datetime import date

    from mueve.programs import services as program_services
    from mueve.territory.models import Jurisdiction
    from mueve.workshops import methodology

    exported = json.loads(
        Client().get(f"/talleres/metodologia/{Program.objects.get(slug=PROGRAM).template.slug}.json").content
    )
    kinds = [f["kind"] for f in exported["workshop_formats"]]
    assert {"codesign", "diagnosis", "swot", "vision", "roadmap", "hub"} <= set(kinds)
    hub_format = next(f for f in exported["workshop_formats"] if f["kind"] == "hub")
    assert [p["key"] for p in hub_format["structure"]["phases"]] == ["role", "value", "business", "activities"]
    exported["slug"] = "metodologia-replicada"
    exported["name"] = "Metodología replicada"
    actor = User.objects.get(username="gestora")
    template = methodology.methodology_import(data=json.dumps(exported), actor=actor)
    assert template.workshop_formats.count() == len(kinds)
    program = program_services.program_create(
        actor=actor,
        template=template,
        name="Réplica en Temuco",
        jurisdiction=Jurisdiction.objects.get(slug="temuco"),
        sector="transport",
        start_date=date(2028, 1, 1),
        end_date=date(2028, 12, 31),
    )
    methodology.program_plan_workshops(actor=actor, program=program)
    original = Program.objects.get(slug=PROGRAM)
    assert [c.key for c in program.components.all()] == [c.key for c in original.components.all()]
    assert [[p.name for p in c.phases.all()] for c in program.components.all()] == [
        [p.name for p in c.phases.all()] for c in original.components.all()
    ]
    shape = lambda p: sorted((w.component.key, w.kind, w.title, w.agenda) for w in p.workshops.all())  # noqa: E731
    assert shape(program) == shape(original)
    roadmap = program.workshops.get(kind="roadmap")
    assert roadmap.structure["horizons"] == [2015, 2019, 2025]
    assert not SwotItem.objects.filter(program=program).exists()
    assert not RoadmapLine.objects.filter(program=program).exists()
    assert not program.workshops.exclude(starts_at=None).exists()
    # A bad format is refused and nothing is written.
    exported["slug"] = "otra"
    exported["workshop_formats"][0]["kind"] = "fiesta"
    with pytest.raises(Exception) as error:
        methodology.methodology_import(data=exported, actor=actor)
    assert "workshop_formats[0].kind" in error.value.message_dict
    assert not template.__class__.objects.filter(slug="otra").exists()

"""Citizens take part in public challenges, from where they stand: follow (and hear when it changes), support once,
comment (held for review when it needs a look, published after a moderator's yes), report abuse (three different
people hide a comment), the moderators' queue, the API, and their own data (download and account deletion)."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from mueve.accounts.models import Role
from mueve.challenges.models import Comment, CommentDecision, CommentReport, Follow, Status, Support
from mueve.notifications.models import Notification
from tests.conftest import PASSWORD
from tests.keys import issue_key
from tests.mail import body

pytestmark = pytest.mark.django_db

API = "/api/v1/challenges/"
LOGIN = "/cuentas/entrar/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The comment rate limit counts in the cache, which outlives each test's rolled-back database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def challenge(make_challenge):
    return make_challenge("¿Cómo reducir el vandalismo en paraderos?", status=Status.PUBLISHED)


@pytest.fixture
def hidden(make_challenge):
    return make_challenge("¿Cómo coordinar cortes de ruta con emergencias?", status=Status.VALIDATED)


@pytest.fixture
def rosa(make_user):
    """A citizen with a confirmed e-mail address (accounts made by the services carry a verified one)."""
    return make_user(Role.CITIZEN, email="rosa.perez@example.org", first_name="Rosa", last_name="Pérez")


@pytest.fixture
def neighbours(make_user):
    return [
        make_user(Role.CITIZEN, email=f"vecino{n}@example.org", first_name=f"Vecino{n}", last_name="Soto")
        for n in range(1, 5)
    ]


def detail(challenge) -> str:
    return reverse("challenges:detail", args=[challenge.slug])


def url(name: str, challenge, *args) -> str:
    return reverse(f"challenges:{name}", args=[challenge.slug, *args])


def page(client, challenge) -> str:
    response = client.get(detail(challenge))
    assert response.status_code == 200
    return response.content.decode()


def comment_as(client, user, challenge, text: str):
    client.force_login(user)
    return client.post(url("comment", challenge), {"text": text})


# --- follow -------------------------------------------------------------------------------------------------------


def test_a_follower_hears_in_the_platform_when_the_challenge_changes_status(
    client, rosa, make_user, manager, challenge, after_commit
):
    bystander = make_user(Role.CITIZEN, email="otra@example.org")
    client.force_login(rosa)
    assert "Seguir este desafío" in page(client, challenge)
    response = client.post(url("follow", challenge))
    assert response.status_code == 302
    html = page(client, challenge)
    assert "Dejar de seguir" in html and "Usted sigue este desafío." in html
    profile = client.get("/cuentas/perfil/").content.decode()
    assert "Desafíos que sigo" in profile and challenge.title in profile

    client.force_login(manager)
    with after_commit():
        moved = client.post(
            url("transition", challenge),
            {"to_status": "addressing", "addressed_via": "competition", "note": "Se abre la competencia MueveTT."},
        )
    assert moved.status_code == 302

    client.force_login(rosa)
    notices = client.get("/avisos/").content.decode()
    assert "En abordaje" in notices and challenge.title in notices and "Se abre la competencia MueveTT." in notices
    assert not Notification.objects.filter(user=bystander).exists()  # only followers hear


def test_a_follower_who_chose_email_gets_one(client, rosa, manager, challenge, smtp_server, after_commit, settings):
    settings.MUEVE_SITE_URL = "https://mueve.example.org"
    client.force_login(rosa)
    preferences = client.get("/avisos/preferencias/").content.decode()
    assert "Un desafío que sigo cambió" in preferences
    client.post("/avisos/preferencias/", {"pref": ["challenge_update:email", "challenge_update:in_app"]})
    client.post(url("follow", challenge))

    client.force_login(manager)
    with after_commit():
        client.post(url("transition", challenge), {"to_status": "addressing", "addressed_via": "competition"})
    [mail] = smtp_server.wait_for("rosa.perez@example.org")
    assert "En abordaje" in mail["Subject"]
    assert f"https://mueve.example.org/desafios/{challenge.slug}/" in body(mail)


def test_after_unfollowing_and_when_it_leaves_public_view_nothing_is_told(
    client, rosa, neighbours, manager, challenge, after_commit
):
    client.force_login(rosa)
    client.post(url("follow", challenge))
    client.post(url("unfollow", challenge))
    assert "Seguir este desafío" in page(client, challenge)
    assert not Follow.objects.exists()
    still = neighbours[0]
    client.force_login(still)
    client.post(url("follow", challenge))

    client.force_login(manager)
    with after_commit():
        client.post(url("transition", challenge), {"to_status": "validated", "note": "Falta información interna."})
    assert not Notification.objects.exists()  # back in internal review: not public any more, so not told


# --- support ------------------------------------------------------------------------------------------------------


def test_support_once_a_second_time_is_refused_and_the_count_stays(client, rosa, neighbours, challenge):
    client.force_login(rosa)
    assert "0 personas apoyan este desafío" in page(client, challenge)
    assert client.post(url("support", challenge)).status_code == 302
    html = page(client, challenge)
    assert "1 persona apoya este desafío" in html and "Retirar mi apoyo" in html

    again = client.post(url("support", challenge))
    assert again.status_code == 400
    text = again.content.decode()
    assert "Usted ya apoya este desafío" in text and "1 persona apoya este desafío" in text
    assert Support.objects.count() == 1

    client.force_login(neighbours[0])
    client.post(url("support", challenge))
    assert "2 apoyos" in client.get("/desafios/").content.decode()

    client.force_login(rosa)
    assert client.post(url("unsupport", challenge)).status_code == 302
    assert "1 persona apoya este desafío" in page(client, challenge)
    assert "Apoyar este desafío" in page(client, challenge)
    refused = client.post(url("unsupport", challenge))
    assert refused.status_code == 400 and "Usted no apoya este desafío." in refused.content.decode()


# --- hidden challenges, anonymous visitors, bad input -------------------------------------------------------------


@pytest.mark.parametrize("action", ["follow", "unfollow", "support", "unsupport", "comment"])
def test_a_challenge_that_is_not_public_answers_404_and_stores_nothing(client, rosa, manager, hidden, action):
    for user in (rosa, manager):  # not even its managers take part in an internal challenge
        client.force_login(user)
        response = client.post(url(action, hidden), {"text": "Me interesa este desafío."})
        assert response.status_code == 404
    missing = client.post(reverse(f"challenges:{action}", args=["no-existe"]), {"text": "Hola"})
    assert missing.status_code == 404
    assert not (Comment.objects.exists() or Support.objects.exists() or Follow.objects.exists())
    assert "Participe" not in client.get(detail(hidden)).content.decode()


@pytest.mark.parametrize("action", ["follow", "unfollow", "support", "unsupport", "comment", "comment_report"])
def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_stored(client, rosa, challenge, action):
    comment = Comment.objects.create(challenge=challenge, author=rosa, text="Buena idea", status="published")
    args = [comment.pk] if action == "comment_report" else []
    response = client.post(url(action, challenge, *args), {"text": "Hola", "reason": "spam"})
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={detail(challenge)}"
    assert Comment.objects.count() == 1
    assert not (Support.objects.exists() or Follow.objects.exists() or CommentReport.objects.exists())
    html = page(client, challenge)
    assert "Entre para apoyar, seguir o comentar" in html and "Denunciar" not in html


@pytest.mark.parametrize(
    "text, message",
    [("   ", "Escriba su comentario."), ("x" * 2001, "Máximo 2000 caracteres (tiene 2001).")],
)
def test_an_empty_or_too_long_comment_is_refused_in_spanish(client, rosa, challenge, text, message):
    response = comment_as(client, rosa, challenge, text)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "No se guardó nada" in html
    assert not Comment.objects.exists()


def test_too_many_comments_in_a_row_are_refused_with_a_clear_message(client, rosa, challenge, settings):
    settings.MUEVE_CHALLENGE_COMMENTS_RATE = "2/hour"
    assert comment_as(client, rosa, challenge, "Primera idea sobre paraderos").status_code == 302
    assert comment_as(client, rosa, challenge, "Segunda idea sobre luminarias").status_code == 302
    refused = comment_as(client, rosa, challenge, "Tercera idea sobre ciclovías")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Envió muchos comentarios seguidos. Podrá comentar de nuevo en" in refused.content.decode()
    assert Comment.objects.count() == 2


# --- comments and moderation --------------------------------------------------------------------------------------


def test_a_held_comment_is_seen_only_by_its_author_until_a_moderator_publishes_it(
    client, make_user, rosa, official, challenge
):
    unconfirmed = make_user(Role.CITIZEN, first_name="Tomás", last_name="Rivas")  # no confirmed e-mail address
    response = comment_as(client, unconfirmed, challenge, "Propongo cámaras en los paraderos del centro.")
    assert response.status_code == 302
    mine = page(client, challenge)
    assert "Propongo cámaras" in mine and "En revisión" in mine
    assert Comment.objects.get().status == Comment.Status.PENDING

    client.force_login(rosa)
    assert "Propongo cámaras" not in page(client, challenge)
    client.logout()
    assert "Propongo cámaras" not in page(client, challenge)

    client.force_login(official)  # an official of the institution that owns the challenge
    queue = client.get("/desafios/moderacion/").content.decode()
    assert "Propongo cámaras" in queue and "Cuenta sin correo confirmado" in queue and "Tomás R." in queue
    comment = Comment.objects.get()
    assert client.post(reverse("challenges:moderation_decide", args=[comment.pk, "publicar"])).status_code == 302
    assert "Propongo cámaras" not in client.get("/desafios/moderacion/").content.decode().split("Decisiones")[0]
    decision = CommentDecision.objects.get()
    assert decision.actor == official and decision.action == "publish" and decision.created_at
    twice = client.post(reverse("challenges:moderation_decide", args=[comment.pk, "publicar"]))
    assert twice.status_code == 400 and "Este comentario ya está «Publicado»." in twice.content.decode()
    assert CommentDecision.objects.count() == 1

    client.logout()
    public = page(client, challenge)
    assert "Propongo cámaras" in public and "Tomás R." in public and "En revisión" not in public
    assert "rivas" not in public.lower()


def test_links_and_repeated_text_wait_for_review_other_comments_show_at_once(client, rosa, challenge):
    comment_as(client, rosa, challenge, "Buena idea, la apoyo.")
    comment_as(client, rosa, challenge, "Más datos en https://ejemplo.com/oferta")
    comment_as(client, rosa, challenge, "¡Buena idea, la apoyo!")
    statuses = list(Comment.objects.order_by("id").values_list("status", "hold_reason"))
    assert statuses == [("published", ""), ("pending", "links"), ("pending", "repeated")]
    client.logout()
    public = page(client, challenge)
    assert "Buena idea, la apoyo." in public and "Rosa P." in public
    assert "ejemplo.com" not in public and "rosa.perez@example.org" not in public


def test_the_team_comments_at_once_and_followers_hear_of_it(client, official, rosa, challenge, after_commit):
    client.force_login(rosa)
    client.post(url("follow", challenge))
    client.force_login(official)
    client.post(url("follow", challenge))
    with after_commit():
        comment_as(client, official, challenge, "Gracias por sus ideas: las revisaremos el lunes.")
    assert Comment.objects.get().status == Comment.Status.PUBLISHED
    assert "Equipo del desafío" in page(client, challenge)
    [notice] = Notification.objects.all()
    assert notice.user == rosa and "las revisaremos el lunes" in notice.body  # not the official who wrote it


def test_three_reports_from_different_people_hide_a_comment_until_a_moderator_decides(
    client, rosa, neighbours, manager, challenge
):
    comment_as(client, rosa, challenge, "Esto es una pérdida de tiempo, inútiles.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PUBLISHED
    for n, neighbour in enumerate(neighbours[:3]):
        client.force_login(neighbour)
        assert "Denunciar" in page(client, challenge)
        reported = client.post(url("comment_report", challenge, comment.pk), {"reason": "Insulta"})
        assert reported.status_code == 302
        comment.refresh_from_db()
        assert comment.status == (Comment.Status.HIDDEN if n == 2 else Comment.Status.PUBLISHED)
    client.force_login(neighbours[3])
    assert "pérdida de tiempo" not in page(client, challenge)
    client.force_login(rosa)
    assert "En revisión" in page(client, challenge)  # its author still sees it, marked

    client.force_login(manager)
    queue = client.get("/desafios/moderacion/").content.decode()
    assert "pérdida de tiempo" in queue and "3 denuncias abiertas" in queue and "Insulta" in queue
    client.post(reverse("challenges:moderation_decide", args=[comment.pk, "ocultar"]))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN
    assert not comment.abuse_reports.filter(resolved=False).exists()
    queue = client.get("/desafios/moderacion/").content.decode()
    assert "No hay comentarios en revisión." in queue
    assert "automáticamente, por denuncias" in queue and "Ocultado" in queue
    client.force_login(rosa)
    assert "Oculto por moderación" in page(client, challenge)


def test_the_same_person_reporting_twice_counts_once(client, rosa, neighbours, challenge):
    comment_as(client, rosa, challenge, "Opinión fuerte sobre los paraderos.")
    comment = Comment.objects.get()
    client.force_login(neighbours[0])
    assert client.post(url("comment_report", challenge, comment.pk), {"reason": ""}).status_code == 302
    again = client.post(url("comment_report", challenge, comment.pk), {"reason": "otra vez"})
    assert again.status_code == 400 and "Usted ya denunció este comentario." in again.content.decode()
    assert CommentReport.objects.count() == 1
    assert "Usted denunció este comentario." in page(client, challenge)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED

    client.force_login(rosa)
    assert "Denunciar" not in page(client, challenge)  # not on one's own comment
    assert client.post(url("comment_report", challenge, comment.pk)).status_code == 403
    assert CommentReport.objects.count() == 1


def test_the_moderation_queue_is_for_the_challenges_team(client, make_user, rosa, other_org, challenge):
    unconfirmed = make_user(Role.CITIZEN)
    comment_as(client, unconfirmed, challenge, "Texto retenido para revisar.")
    comment = Comment.objects.get()
    client.logout()
    assert client.get("/desafios/moderacion/")["Location"].startswith(LOGIN)
    client.force_login(rosa)
    assert client.get("/desafios/moderacion/").status_code == 403
    assert client.post(reverse("challenges:moderation_decide", args=[comment.pk, "publicar"])).status_code == 403

    outsider = make_user(Role.OFFICIAL, organization=other_org)  # an official of another institution
    client.force_login(outsider)
    assert "Texto retenido" not in client.get("/desafios/moderacion/").content.decode()
    assert client.post(reverse("challenges:moderation_decide", args=[comment.pk, "publicar"])).status_code == 404
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and not CommentDecision.objects.exists()


# --- API ----------------------------------------------------------------------------------------------------------


def api_post(client, path, data=None, **extra):
    return client.post(API + path, json.dumps(data or {}), content_type="application/json", **extra)


def test_api_follow_and_support_once(client, rosa, challenge, hidden):
    assert api_post(client, f"{challenge.slug}/follow").status_code == 401
    client.force_login(rosa)
    for action in ("follow", "support"):
        assert api_post(client, f"{hidden.slug}/{action}").status_code == 404
    assert not (Follow.objects.exists() or Support.objects.exists())
    followed = api_post(client, f"{challenge.slug}/follow")
    assert followed.status_code == 200 and followed.json()["following"] is True
    assert client.delete(API + f"{challenge.slug}/follow").json()["following"] is False

    supported = api_post(client, f"{challenge.slug}/support")
    assert supported.status_code == 201 and supported.json() == {
        "following": False,
        "supporting": True,
        "support_count": 1,
    }
    again = api_post(client, f"{challenge.slug}/support")
    assert again.status_code == 409
    assert "Usted ya apoya este desafío" in again.json()["errors"]["support"][0]
    assert Support.objects.count() == 1
    assert client.get(API + challenge.slug).json()["support_count"] == 1

    withdrawn = client.delete(API + f"{challenge.slug}/support")
    assert withdrawn.status_code == 200 and withdrawn.json()["support_count"] == 0
    missing = client.delete(API + f"{challenge.slug}/support")
    assert missing.status_code == 404 and missing.json()["errors"]["support"] == ["Usted no apoya este desafío."]


def test_api_comments_with_a_token(client, rosa, make_user, challenge, hidden):
    _token, key = issue_key(user=rosa, name="app")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    made = api_post(client, f"{challenge.slug}/comments", {"text": "Propongo más luz en los paraderos."}, **auth)
    assert made.status_code == 201
    assert made.json()["status"] == "published" and made.json()["author"] == "Rosa P."
    held = api_post(client, f"{challenge.slug}/comments", {"text": "Vea www.ejemplo.com"}, **auth)
    assert held.status_code == 201 and held.json()["status"] == "pending"

    listed = client.get(API + f"{challenge.slug}/comments").json()
    assert listed["count"] == 1 and [c["text"] for c in listed["items"]] == ["Propongo más luz en los paraderos."]
    assert "email" not in json.dumps(listed)

    empty = api_post(client, f"{challenge.slug}/comments", {"text": "  "}, **auth)
    assert empty.status_code == 400 and empty.json()["errors"]["text"] == ["Escriba su comentario."]
    too_long = api_post(client, f"{challenge.slug}/comments", {"text": "x" * 2001}, **auth)
    assert too_long.status_code == 422 and too_long.json()["errors"]["text"] == ["Máximo 2000 caracteres (tiene 2001)."]
    on_hidden = api_post(client, f"{hidden.slug}/comments", {"text": "Hola"}, **auth)
    assert on_hidden.status_code == 404
    assert client.get(API + f"{hidden.slug}/comments").status_code == 404
    assert api_post(client, f"{challenge.slug}/comments", {"text": "Sin cuenta"}).status_code == 401
    assert Comment.objects.count() == 2


def test_api_rate_limit_says_when_to_come_back(client, rosa, challenge, settings):
    settings.MUEVE_CHALLENGE_COMMENTS_RATE = "1/hour"
    client.force_login(rosa)
    assert api_post(client, f"{challenge.slug}/comments", {"text": "Una idea"}).status_code == 201
    refused = api_post(client, f"{challenge.slug}/comments", {"text": "Otra idea"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Podrá comentar de nuevo" in refused.json()["errors"]["text"][0]
    assert Comment.objects.count() == 1


# --- own data and account deletion --------------------------------------------------------------------------------


def test_my_participation_is_in_my_data_and_deleting_the_account_anonymises_comments(
    client, rosa, neighbours, challenge
):
    comment_as(client, neighbours[0], challenge, "Comentario de un vecino.")
    client.force_login(rosa)
    client.post(url("follow", challenge))
    client.post(url("support", challenge))
    client.post(url("comment", challenge), {"text": "Mi propuesta: más luz."})
    client.post(url("comment_report", challenge, Comment.objects.get(author=neighbours[0]).pk), {"reason": "Spam"})

    data = json.loads(client.get("/cuentas/mis-datos/descargar.json").content)
    assert [f["challenge"] for f in data["challenges_followed"]] == [challenge.title]
    assert [s["challenge"] for s in data["challenges_supported"]] == [challenge.title]
    assert [c["text"] for c in data["challenge_comments"]] == ["Mi propuesta: más luz."]
    assert [(r["comment"], r["reason"]) for r in data["comment_abuse_reports"]] == [
        ("Comentario de un vecino.", "Spam")
    ]
    readable = client.get("/cuentas/mis-datos/descargar.html").content.decode()
    assert "Desafíos que sigo" in readable and "Mi propuesta: más luz." in readable and "Spam" in readable

    deleted = client.post("/cuentas/eliminar/", {"password": PASSWORD, "confirm": "on"})
    assert deleted.status_code == 302
    assert not (Follow.objects.exists() or Support.objects.exists() or CommentReport.objects.exists())
    mine = Comment.objects.get(text="Mi propuesta: más luz.")
    assert mine.author is None
    public = page(client, challenge)
    assert "Mi propuesta: más luz." in public and "Cuenta eliminada" in public and "Rosa" not in public
    assert "0 personas apoyan este desafío" in public

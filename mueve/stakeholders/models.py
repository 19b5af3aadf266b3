from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mueve.core.models import TimeStampedModel


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Gobierno")
    PRIVATE = "private", _("Sector privado")
    ACADEMIA = "academia", _("Academia")
    CIVIL_SOCIETY = "civil_society", _("Sociedad civil")
    INTERNATIONAL = "international", _("Internacional")


class Level(models.TextChoices):
    NATIONAL = "national", _("Nacional")
    REGIONAL = "regional", _("Regional")
    MUNICIPAL = "municipal", _("Municipal")
    LOCAL = "local", _("Local")


class Organization(TimeStampedModel):
    name = models.CharField(_("nombre"), max_length=200, unique=True)
    acronym = models.CharField(_("sigla"), max_length=40, blank=True)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    level = models.CharField(_("nivel"), max_length=20, choices=Level.choices)
    is_international = models.BooleanField(_("socio internacional o multinacional"), default=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("depende de"), on_delete=models.SET_NULL, null=True, blank=True, related_name="units"
    )
    jurisdiction = models.ForeignKey(
        "territory.Jurisdiction", verbose_name=_("jurisdicción"), on_delete=models.SET_NULL, null=True, blank=True
    )
    description = models.TextField(_("descripción"), blank=True)
    website = models.URLField(_("sitio web"), blank=True)
    # Where its seat is, for the place search and maps; optional (many partners are national or abroad).
    lat = models.FloatField(
        _("latitud de la sede"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("longitud de la sede"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organización")
        verbose_name_plural = _("organizaciones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    full_name = models.CharField(_("nombre completo"), max_length=200)
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    notes = models.TextField(_("notas"), blank=True)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizaciones"), through="Membership", related_name="people"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("personas")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class Membership(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organización"), on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.CharField(_("cargo"), max_length=150, blank=True)
    start_date = models.DateField(_("desde"), null=True, blank=True)
    end_date = models.DateField(_("hasta"), null=True, blank=True)

    class Meta:
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        constraints = [models.UniqueConstraint(fields=["person", "organization", "position"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"


class ProgramRole(models.TextChoices):
    MAIN_COUNTERPART = "main_counterpart", _("Contraparte principal")
    GOVERNMENT_COUNTERPART = "government_counterpart", _("Contraparte de gobierno")
    MAIN_NON_GOVERNMENT_PARTNER = "main_non_government_partner", _("Socio principal no gubernamental")
    PARTNER = "partner", _("Socio")
    SPONSOR = "sponsor", _("Patrocinador")
    MENTOR = "mentor", _("Mentoría")
    JURY = "jury", _("Jurado")
    HOST = "host", _("Anfitrión (sede)")
    INTERVIEWED = "interviewed", _("Entrevistado")
    PARTICIPANT = "participant", _("Participante")
    EXPERT = "expert", _("Experto")


class ProgramStakeholder(TimeStampedModel):
    """An organization's place in one program: its roles, and how interested and influential it is."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="stakeholders"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organización"), on_delete=models.CASCADE, related_name="program_links"
    )
    interest = models.PositiveSmallIntegerField(
        _("interés (1–5)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    influence = models.PositiveSmallIntegerField(
        _("influencia (1–5)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    notes = models.TextField(_("notas"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actor del programa")
        verbose_name_plural = _("actores del programa")
        constraints = [models.UniqueConstraint(fields=["program", "organization"], name="unique_program_stakeholder")]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.program}"


class ProgramStakeholderRole(models.Model):
    stakeholder = models.ForeignKey(
        ProgramStakeholder, verbose_name=_("actor del programa"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("rol"), max_length=40, choices=ProgramRole.choices)

    class Meta:
        verbose_name = _("rol en el programa")
        verbose_name_plural = _("roles en el programa")
        constraints = [models.UniqueConstraint(fields=["stakeholder", "role"], name="unique_stakeholder_role")]

    def __str__(self) -> str:
        return self.get_role_display()


class EngagementLevel(models.TextChoices):
    INFORMED = "informed", _("Informado")
    CONSULTED = "consulted", _("Consultado")
    INVOLVED = "involved", _("Participa")
    COLLABORATING = "collaborating", _("Colabora")
    LEADING = "leading", _("Lidera")


class Engagement(models.Model):
    """How an organization took part in one component of a program."""

    stakeholder = models.ForeignKey(
        ProgramStakeholder, verbose_name=_("actor del programa"), on_delete=models.CASCADE, related_name="engagements"
    )
    component = models.ForeignKey(
        "programs.Component", verbose_name=_("componente"), on_delete=models.CASCADE, related_name="engagements"
    )
    level = models.CharField(
        _("nivel"), max_length=20, choices=EngagementLevel.choices, default=EngagementLevel.INVOLVED
    )
    notes = models.TextField(_("notas"), blank=True)

    class Meta:
        verbose_name = _("participación por componente")
        verbose_name_plural = _("participaciones por componente")
        constraints = [models.UniqueConstraint(fields=["stakeholder", "component"], name="unique_engagement")]

    def __str__(self) -> str:
        return f"{self.stakeholder} — {self.component}: {self.get_level_display()}"


class Commitment(TimeStampedModel):
    class Kind(models.TextChoices):
        IN_KIND = "in_kind", _("En especie")
        VENUE = "venue", _("Sede")
        SPONSORSHIP = "sponsorship", _("Patrocinio")
        MENTORSHIP = "mentorship", _("Mentoría")
        DATA = "data", _("Datos")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Propuesto")
        AGREED = "agreed", _("Acordado")
        DELIVERED = "delivered", _("Cumplido")
        CANCELLED = "cancelled", _("Cancelado")

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="commitments"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organización"), on_delete=models.CASCADE, related_name="commitments"
    )
    component = models.ForeignKey(
        "programs.Component", verbose_name=_("componente"), on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("descripción"))
    amount_clp = models.PositiveBigIntegerField(_("valor estimado (CLP)"), null=True, blank=True)
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    due_date = models.DateField(_("fecha comprometida"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")
        ordering = ["program", "organization__name"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_kind_display()}"


class Champion(TimeStampedModel):
    """A champion (early supporter) or change agent, with the component where they were identified."""

    class Kind(models.TextChoices):
        CHAMPION = "champion", _("Campeón/a")
        CHANGE_AGENT = "change_agent", _("Agente de cambio")

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="champions"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="championships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organización"), on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    component = models.ForeignKey(
        "programs.Component", verbose_name=_("identificado en"), on_delete=models.SET_NULL, null=True, blank=True
    )
    notes = models.TextField(_("notas"), blank=True)

    class Meta:
        verbose_name = _("campeón o agente de cambio")
        verbose_name_plural = _("campeones y agentes de cambio")
        constraints = [models.UniqueConstraint(fields=["program", "person", "kind"], name="unique_champion")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()})"

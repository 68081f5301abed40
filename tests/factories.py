"""factory_boy factories for the Django models.

Every tenant-owned row a factory makes belongs to one organization: pass ``organization=`` and the rows it
needs (a population's control, an evidence item's revision) are made in that organization too. Files that
rows point at by SHA-256 (questionnaires, populations, evidence files) are put in the blob store for real.
"""

from __future__ import annotations

import datetime as dt

import factory

from socready.accounts.models import Membership, Organization, Role, User
from socready.evidence.models import (
    EvidenceItem,
    EvidenceKind,
    EvidenceRevision,
    ImportState,
    Population,
    PopulationKind,
)
from socready.programs.models import Control, ControlStatus, Engagement, Report, ReportType
from socready.questionnaires.models import Questionnaire
from socready.storage.blobs import blob_store

QUESTIONNAIRE_CSV = b"ID,Question,Answer\nQ1,Is multi-factor authentication enforced for administrators?,\n"
POPULATION_CSV = b"id,date,approver\nA,2026-01-05,pat\nB,2026-02-10,sam\nC,2026-03-15,pat\n"


def _stored_sha256(content: bytes) -> str:
    """Put ``content`` in the blob store (as an upload would) and return its SHA-256."""
    return blob_store().put([content], max_bytes=len(content) + 1).sha256


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = "Pat"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):  # type: ignore[no-untyped-def]
        if create:
            instance.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Org {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CONTRIBUTOR


class EngagementFactory(factory.django.DjangoModelFactory):
    """A SOC 2 Type II engagement over the first half of 2026, Security only.

    A Type I (``report_type=ReportType.TYPE1``) is as of 2026-06-30 instead; a SOC 1 has no categories.
    """

    class Meta:
        model = Engagement

    class Params:
        type1 = factory.LazyAttribute(lambda engagement: engagement.report_type == ReportType.TYPE1)
        soc2 = factory.LazyAttribute(lambda engagement: engagement.report == Report.SOC2)

    organization = factory.SubFactory(OrganizationFactory)
    report = Report.SOC2
    report_type = ReportType.TYPE2
    as_of_date = factory.Maybe("type1", dt.date(2026, 6, 30), None)
    period_start = factory.Maybe("type1", None, dt.date(2026, 1, 1))
    period_end = factory.Maybe("type1", None, dt.date(2026, 6, 30))
    categories = factory.Maybe("soc2", factory.LazyFunction(lambda: ["Security"]), factory.LazyFunction(list))


class ControlFactory(factory.django.DjangoModelFactory):
    """A custom control mapped to CC6.1; ``engagements=[...]`` links it to engagements of its organization."""

    class Meta:
        model = Control
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"C-{n:03d}")
    title = factory.Sequence(lambda n: f"Control {n}")
    frequency = "monthly"
    status = ControlStatus.NOT_STARTED
    criteria = factory.LazyFunction(lambda: ["CC6.1"])

    @factory.post_generation
    def engagements(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.engagements.set(extracted)


class EvidenceRevisionFactory(factory.django.DjangoModelFactory):
    """The next revision of an item, which becomes its current content (as a new upload does).

    A note by default (``text``); give ``url``, ``sha256``/``file_name`` or ``result`` for the other kinds.
    """

    class Meta:
        model = EvidenceRevision
        skip_postgeneration_save = True

    item = factory.SubFactory("tests.factories.EvidenceItemFactory")
    number = factory.LazyAttribute(lambda revision: revision.item.revisions.count() + 1)
    text = factory.LazyAttribute(
        lambda revision: "Reviewed and signed off." if revision.item.kind == EvidenceKind.NOTE else "")

    @factory.post_generation
    def make_current(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted is not False:
            self.item.current = self
            self.item.save(update_fields=["current"])


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    """A note dated 2026-03-01 with its first revision as the current content.

    ``controls=[...]`` links it to controls of its organization; ``revision__text=...`` (or any revision
    field) shapes the first revision, and ``revision=False`` leaves the item without content.
    """

    class Meta:
        model = EvidenceItem
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    kind = EvidenceKind.NOTE
    title = factory.Sequence(lambda n: f"Evidence {n}")
    effective_date = dt.date(2026, 3, 1)

    @factory.post_generation
    def controls(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.controls.set(extracted)

    @factory.post_generation
    def revision(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted is not False:
            EvidenceRevisionFactory(item=self, number=1, **kwargs)


class PopulationFactory(factory.django.DjangoModelFactory):
    """An uploaded population as the import form leaves it: the stored file, its columns, queued for import.

    ``content`` is the file (CSV); its control is made in the same organization unless one is given.
    """

    class Meta:
        model = Population

    class Params:
        content = POPULATION_CSV

    organization = factory.SubFactory(OrganizationFactory)
    control = factory.SubFactory(ControlFactory, organization=factory.SelfAttribute("..organization"))
    kind = PopulationKind.CHANGES
    source_name = "changes.csv"
    sha256 = factory.LazyAttribute(lambda population: _stored_sha256(population.content))
    size = factory.LazyAttribute(lambda population: len(population.content))
    id_column = "id"
    date_column = "date"
    attribute_columns = factory.LazyFunction(lambda: ["approver"])
    state = ImportState.QUEUED


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    """An uploaded questionnaire with one question, its file stored; ``content`` is the file (CSV)."""

    class Meta:
        model = Questionnaire

    class Params:
        content = QUESTIONNAIRE_CSV

    organization = factory.SubFactory(OrganizationFactory)
    file_name = "prospect.csv"
    sha256 = factory.LazyAttribute(lambda questionnaire: _stored_sha256(questionnaire.content))
    size = factory.LazyAttribute(lambda questionnaire: len(questionnaire.content))
    question_count = 1

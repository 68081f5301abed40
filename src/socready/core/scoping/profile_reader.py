"""Reading a profile from YAML or a dict into a ``Profile``; every error names the source and the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from socready.core.catalog.catalog import normalize_category
from socready.core.errors import InputError
from socready.core.scoping.profile import (
    COMMITMENT_FIELDS,
    DATA_KINDS,
    FINANCIAL_IMPACTS,
    PERSONAL_DATA_ROLES,
    REPORT_TYPES,
    REPORTS,
    SUBSERVICE_METHODS,
    TOP_FIELDS,
    Commitments,
    Customers,
    Deadline,
    Profile,
    ProspectAsk,
    Service,
    Subservice,
)
from socready.core.yamlfile import load_mapping, read_yaml_text

# A description is a few paragraphs; scoping reads it word by word, so a pasted book would hold a request
# for seconds. Far more than any real description, far less than that.
MAX_TEXT_CHARS = 20_000


class ProfileReader:
    """Validates one profile, remembering the source name so every error can say where it is."""

    def __init__(self, source: str, today: dt.date) -> None:
        self.source = source
        self.today = today

    def error(self, field: str, message: str) -> InputError:
        """An input error naming this profile's file and ``field``."""
        return InputError(message, file=self.source, field=field)

    def profile(self, raw: dict[str, Any]) -> Profile:
        """Read a whole profile mapping into a ``Profile``; the first bad field raises ``InputError``."""
        if not isinstance(raw, dict):
            raise InputError("the profile must be a mapping of fields to values", file=self.source)
        self.known(raw, TOP_FIELDS, "")
        commitments = self.mapping(raw, "commitments", "")
        customers = self.mapping(raw, "customers", "")
        return Profile(
            name=self.text(raw, "name", "name"),
            description=self.text(raw, "description", "description"),
            services=tuple(
                self.service(item, f"services[{i}]") for i, item in enumerate(self.items(raw, "services"))
            ),
            financial_impact=self.choices(raw, "financial_impact", FINANCIAL_IMPACTS, allow_none=True),
            data=self.choices(raw, "data", DATA_KINDS, allow_none=True),
            personal_data_role=self.choice(raw, "personal_data_role", PERSONAL_DATA_ROLES),
            commitments=self.commitments(commitments),
            customers=Customers(
                industries=self.strings(customers, "industries", "customers.industries"),
                regions=self.regions(customers),
                segments=self.strings(customers, "segments", "customers.segments"),
            ),
            prospect_asks=tuple(self.ask(item, i) for i, item in enumerate(self.items(raw, "prospect_asks"))),
            deadlines=tuple(
                self.deadline(item, f"deadlines[{i}]") for i, item in enumerate(self.items(raw, "deadlines"))
            ),
            controls_operating_since=self.date(raw.get(since := "controls_operating_since"), since),
            existing_reports=self.strings(raw, "existing_reports", "existing_reports") or (),
            wants_public_trust_signal=self.boolean(raw, "wants_public_trust_signal"),
            subservice_organizations=tuple(
                self.subservice(item, f"subservice_organizations[{i}]")
                for i, item in enumerate(self.items(raw, "subservice_organizations"))
            ),
            source=self.source,
        )

    # --- generic field readers -------------------------------------------------------------------

    def known(self, raw: dict[str, Any], fields: tuple[str, ...], prefix: str) -> None:
        """Refuse any key of ``raw`` that is not one of ``fields``."""
        for key in raw:
            if key not in fields:
                raise self.error(f"{prefix}{key}", f"unknown field (expected one of: {', '.join(fields)})")

    def mapping(self, raw: dict[str, Any], key: str, prefix: str) -> dict[str, Any]:
        """The mapping under ``key``, empty when absent."""
        value = raw.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(f"{prefix}{key}", "must be a mapping of fields to values")
        return value

    def items(self, raw: dict[str, Any], key: str) -> list[Any]:
        """The list under ``key``, empty when absent."""
        value = raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, "must be a list")
        return value

    def text(self, raw: dict[str, Any], key: str, field: str, *, required: bool = False) -> str | None:
        """The non-empty text under ``key``, stripped; None when absent and not required."""
        value = raw.get(key)
        if value is None:
            if required:
                raise self.error(field, "is missing")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error(field, "must be non-empty text")
        if len(value) > MAX_TEXT_CHARS:
            raise self.error(field, f"is {len(value):,} characters long; the limit is {MAX_TEXT_CHARS:,}")
        return value.strip()

    def boolean(self, raw: dict[str, Any], key: str, field: str = "") -> bool | None:
        """The true/false value under ``key``, or None when absent."""
        field = field or key
        value = raw.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self.error(field, "must be true or false")

    def strings(self, raw: dict[str, Any], key: str, field: str) -> tuple[str, ...] | None:
        """The text values under ``key`` (one text counts as a list of one), or None when absent."""
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(field, "must be a list of text values")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"{field}[{i}]", "must be non-empty text")
            out.append(item.strip())
        return tuple(out)

    def choice(self, raw: dict[str, Any], key: str, allowed: tuple[str, ...], field: str = "") -> str | None:
        """The value under ``key``, lower-cased, which must be one of ``allowed``; None when absent."""
        field = field or key
        value = self.text(raw, key, field)
        if value is None:
            return None
        if value.lower() not in allowed:
            raise self.error(field, f"'{value}' is not one of: {', '.join(allowed)}")
        return value.lower()

    def choices(
        self, raw: dict[str, Any], key: str, allowed: tuple[str, ...], *, allow_none: bool
    ) -> tuple[str, ...] | None:
        """The values under ``key``, lower-cased, each one of ``allowed``; ``none`` alone gives an empty tuple."""
        values = self.strings(raw, key, key)
        if values is None:
            return None
        lowered = [v.lower() for v in values]
        # "none" is a statement ("we touch no financial reporting"), not an absence of information.
        if allow_none and lowered == ["none"]:
            return ()
        for i, value in enumerate(lowered):
            if value not in allowed:
                hint = " or none" if allow_none else ""
                raise self.error(f"{key}[{i}]", f"'{values[i]}' is not one of: {', '.join(allowed)}{hint}")
        return tuple(dict.fromkeys(lowered))

    def date(self, value: Any, field: str) -> dt.date | None:
        """``value`` as a date (a date, or text written YYYY-MM-DD), or None when absent."""
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.error(field, f"'{value}' is not a date (write YYYY-MM-DD)")

    # --- structured entries ----------------------------------------------------------------------

    def service(self, item: Any, field: str) -> Service:
        """One service: a name, or a mapping with name and what it does."""
        if isinstance(item, str) and item.strip():
            return Service(name=item.strip(), does="")
        if not isinstance(item, dict):
            raise self.error(field, "must be a mapping with name and does")
        self.known(item, ("name", "does"), f"{field}.")
        name = self.text(item, "name", f"{field}.name", required=True)
        does = self.text(item, "does", f"{field}.does") or ""
        assert name is not None
        return Service(name=name, does=does)

    def commitments(self, raw: dict[str, Any]) -> Commitments:
        """The commitments made to customers: an uptime percentage and yes/no answers."""
        self.known(raw, COMMITMENT_FIELDS, "commitments.")
        sla = raw.get("uptime_sla_percent")
        if sla is not None:
            if isinstance(sla, bool) or not isinstance(sla, int | float) or not 0 < sla <= 100:
                raise self.error("commitments.uptime_sla_percent", "must be a percentage above 0, e.g. 99.9")
            sla = float(sla)
        return Commitments(
            uptime_sla_percent=sla,
            **{key: self.boolean(raw, key, f"commitments.{key}") for key in COMMITMENT_FIELDS[1:]},
        )

    def regions(self, raw: dict[str, Any]) -> tuple[str, ...] | None:
        """The customers' regions, upper-cased, or None when absent."""
        values = self.strings(raw, "regions", "customers.regions")
        # Regions are compared case-insensitively later; store them upper-cased (US, EU, UK, APAC).
        return None if values is None else tuple(v.upper() for v in values)

    def ask(self, item: Any, index: int) -> ProspectAsk:
        """One prospect's ask: its text, or a mapping with source, report, type and categories."""
        field = f"prospect_asks[{index}]"
        if isinstance(item, str) and item.strip():
            return ProspectAsk(source=field, text=item.strip())
        if not isinstance(item, dict):
            raise self.error(field, "must be text or a mapping with source and report")
        self.known(item, ("source", "report", "type", "categories", "text"), f"{field}.")
        source = self.text(item, "source", f"{field}.source", required=True)
        report = self.text(item, "report", f"{field}.report")
        if report is not None:
            report = _canonical(report, REPORTS, f"{field}.report", self)
        kind = self.text(item, "type", f"{field}.type")
        if kind is not None:
            # "Type 2", "type ii" and "II" all name the same report type.
            squeezed = kind.lower().replace("type", "").strip().replace("2", "ii").replace("1", "i")
            kind = _canonical(f"Type {squeezed.upper()}", REPORT_TYPES, f"{field}.type", self)
        categories = []
        for i, name in enumerate(self.strings(item, "categories", f"{field}.categories") or ()):
            try:
                categories.append(normalize_category(name))
            except ValueError as exc:
                raise self.error(f"{field}.categories[{i}]", str(exc)) from None
        text = self.text(item, "text", f"{field}.text")
        if report is None and text is None:
            raise self.error(f"{field}.report", "is missing (give report, or the text of the ask)")
        assert source is not None
        return ProspectAsk(source=source, report=report, type=kind, categories=tuple(categories), text=text)

    def deadline(self, item: Any, field: str) -> Deadline:
        """One deadline: what is due and its date, which must not be in the past."""
        if not isinstance(item, dict):
            raise self.error(field, "must be a mapping with what and date")
        self.known(item, ("what", "date"), f"{field}.")
        what = self.text(item, "what", f"{field}.what") or "report needed"
        when = self.date(item.get("date"), f"{field}.date")
        if when is None:
            raise self.error(f"{field}.date", "is missing")
        if when < self.today:
            raise self.error(f"{field}.date", f"{when.isoformat()} is in the past (today is {self.today})")
        return Deadline(what=what, date=when)

    def subservice(self, item: Any, field: str) -> Subservice:
        """One subservice organization: name, service and, if known, carve-out or inclusive."""
        if not isinstance(item, dict):
            raise self.error(field, "must be a mapping with name and service")
        self.known(item, ("name", "service", "method"), f"{field}.")
        name = self.text(item, "name", f"{field}.name", required=True)
        service = self.text(item, "service", f"{field}.service") or ""
        method = self.choice(item, "method", SUBSERVICE_METHODS, f"{field}.method")
        assert name is not None
        return Subservice(name=name, service=service, method=method)


def _canonical(value: str, allowed: tuple[str, ...], field: str, reader: ProfileReader) -> str:
    """Match ``value`` to an allowed spelling ignoring case and spacing ("soc2" -> "SOC 2")."""
    squeeze = value.replace(" ", "").replace("-", "").lower()
    for option in allowed:
        if option.replace(" ", "").replace("-", "").lower() == squeeze:
            return option
    raise reader.error(field, f"'{value}' is not one of: {', '.join(allowed)}")


def load_profile(path: Path, *, today: dt.date | None = None) -> Profile:
    """Read a profile YAML file; every problem raises InputError naming the file and the field."""
    try:
        raw = load_mapping(path, error=InputError)
    except InputError as exc:
        # An impossible date such as 2026-02-30 makes PyYAML fail the whole file; read the dates as text
        # instead so the validator can name the field that holds it. Text that is not UTF-8 is a
        # ValueError too, but no second reading can mend it.
        if not isinstance(exc.__cause__, ValueError) or isinstance(exc.__cause__, UnicodeError):
            raise
        try:
            raw = yaml.load(read_yaml_text(path, InputError), Loader=_TextDatesLoader)  # noqa: S506 (safe)
        except (yaml.YAMLError, ValueError, OSError):
            raise exc from None
    return profile_from_dict(raw, source=str(path), today=today)


class _TextDatesLoader(yaml.SafeLoader):
    """A safe loader that leaves timestamps as text."""


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def profile_from_dict(
    raw: dict[str, Any], *, source: str = "<profile>", today: dt.date | None = None
) -> Profile:
    """Build a profile from a plain dict (a web form, the interactive CLI or parsed YAML)."""
    return ProfileReader(source, today or dt.date.today()).profile(raw)

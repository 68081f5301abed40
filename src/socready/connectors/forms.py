"""The forms to add and edit a connection: one field per option the connector declares, secrets never shown back."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django import forms

from socready.core.connectors.plugin import Connector

SCHEDULES = [(24, "Every day"), (12, "Every 12 hours"), (168, "Every week"), (0, "Only when run by hand")]


class ConnectionForm(forms.Form):
    """Name, schedule, then the connector's own options in its order.

    Editing passes the stored ``options`` (shown as they are) and the names of the ``stored_secrets``: a
    stored secret's field stays empty (blank keeps it, a value replaces it) with a box to forget it.
    """

    name = forms.CharField(max_length=100, help_text="A name for this connection, e.g. production or acme-org.")
    schedule_hours = forms.TypedChoiceField(choices=SCHEDULES, coerce=int, initial=24, label="Collect")

    def __init__(self, *args: Any, connector: Connector, options: Mapping[str, str] | None = None,
                 stored_secrets: Collection[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connector = connector
        self.stored_secrets = set(stored_secrets)
        editing = options is not None
        for option in connector.options:
            stored = option.name in self.stored_secrets
            widget = forms.PasswordInput(render_value=False) if option.secret else forms.TextInput()
            initial = None if option.secret else (options or {}).get(option.name, "" if editing else option.default)
            self.fields[f"opt_{option.name}"] = forms.CharField(
                label=option.name.replace("_", " ").capitalize(), required=option.required and not stored,
                help_text=f"{option.help}{' (stored: leave blank to keep it)' if stored else ''}",
                initial=initial, widget=widget, max_length=8000)
            if stored:
                self.fields[f"forget_{option.name}"] = forms.BooleanField(
                    required=False, label=f"Forget the stored {option.name.replace('_', ' ')}")

    def settings_values(self) -> dict[str, str]:
        """The entered option values keyed by option name (blank ones left out later)."""
        return {name[4:]: str(value or "") for name, value in self.cleaned_data.items() if name.startswith("opt_")}

    def forgotten(self) -> set[str]:
        """Stored secrets the person chose to forget."""
        return {name[7:] for name, value in self.cleaned_data.items() if name.startswith("forget_") and value}

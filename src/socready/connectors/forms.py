"""The form to add a connection: one field per option the connector declares, secrets never shown back."""

from __future__ import annotations

from typing import Any

from django import forms

from socready.core.connectors.plugin import Connector

SCHEDULES = [(24, "Every day"), (12, "Every 12 hours"), (168, "Every week"), (0, "Only when run by hand")]


class ConnectionForm(forms.Form):
    """Name, schedule, then the connector's own options in its order."""

    name = forms.CharField(max_length=100, help_text="A name for this connection, e.g. production or acme-org.")
    schedule_hours = forms.TypedChoiceField(choices=SCHEDULES, coerce=int, initial=24, label="Collect")

    def __init__(self, *args: Any, connector: Connector, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connector = connector
        for option in connector.options:
            widget = forms.PasswordInput(render_value=False) if option.secret else forms.TextInput()
            self.fields[f"opt_{option.name}"] = forms.CharField(
                label=option.name.replace("_", " ").capitalize(), required=option.required, help_text=option.help,
                initial=option.default if not option.secret else None, widget=widget, max_length=4000)

    def settings_values(self) -> dict[str, str]:
        """The entered option values keyed by option name (blank ones left out later)."""
        return {name[4:]: str(value or "") for name, value in self.cleaned_data.items() if name.startswith("opt_")}

"""File formats in and out: populations, questionnaires, exports."""

"""Questionnaires uploaded by an organization: the asks found in them and their drafted answers."""

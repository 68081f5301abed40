"""Which SOC report(s), categories and type an organization needs, with the reasons."""

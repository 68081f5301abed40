"""Reading what prospects ask: report asks, question-to-criteria mapping and drafted answers."""

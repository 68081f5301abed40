"""Reading a vendor's SOC report PDF: its pages' text, its document properties, and the facts they give."""

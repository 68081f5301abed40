"""Evidence, evidence requests (the PBC list), populations and samples of one organization."""

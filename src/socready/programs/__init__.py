"""The program: engagements, scope, controls, mappings and remediation; also the catalog pages."""

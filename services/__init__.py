"""Netra's four services: intake, evidence, casework, notify."""

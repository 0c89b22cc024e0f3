"""`netra`: the monitoring team's command-line tool, a pure HTTP client of casework's team API.

It imports nothing from services/: the API (GET /openapi.json on casework) is its only contract.
"""

"""notify's HTTP side: GET /healthz alone, and the error table its entrypoints consult."""

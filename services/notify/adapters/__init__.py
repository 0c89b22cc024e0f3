"""notify's outside world: its delivery log and the SMTP server."""

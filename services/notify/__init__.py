"""notify: turns case events into e-mails and webhooks, once per recipient."""

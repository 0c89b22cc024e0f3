"""notify's domain: what each message says and to whom. No I/O."""

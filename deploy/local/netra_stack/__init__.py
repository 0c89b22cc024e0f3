"""The local stack: everything `make run` and the tests start around the four services."""

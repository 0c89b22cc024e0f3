"""casework's outside world: the event store, projections, accounts, the vault."""

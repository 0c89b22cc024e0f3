"""intake's domain: tracking codes, receipts, the public status. No I/O."""

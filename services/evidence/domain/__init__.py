"""evidence's domain: what makes an upload acceptable. No I/O."""

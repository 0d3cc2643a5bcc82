"""The checking engine: sources -> lines -> rows -> findings, serially or in parallel."""

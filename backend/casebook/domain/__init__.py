"""The domain layer: vocabulary, case files, the access rule. No I/O beyond reading files."""

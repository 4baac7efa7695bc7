"""The core: vocabulary, units, checks, errors, the domain and shop models.

No files, no environment, no plotting: everything here is values (DESIGN.md).
"""

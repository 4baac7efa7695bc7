"""Batch quality: measurements, charts, capability, gauge studies, acceptance sampling."""

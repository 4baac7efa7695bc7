"""Renderers of results: terminal (Rich), HTML, XLSX. They format; they never decide."""

"""Every reader and writer: project, shop and spec files, settings, FAI workbooks.

Used by the public API and the applications only; the core and the rules take values.
"""

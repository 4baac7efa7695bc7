"""The rules of the seeds and standards: stage, readiness, route, inspection, cost, quote.

Siblings that take plain values and never call a sibling to plan their inputs; the
pipeline (:class:`rampwise.pipeline.Plan`) plans each step once and hands it on.
"""

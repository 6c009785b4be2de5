"""Renderers: text, JSON and HTML views of the typed results the domain returns.

Domain modules (bound, audit, runtime, proofs, harness) never format output;
commands parse arguments, call the domain, and hand the result to one of
these modules. One file per kind of result.
"""

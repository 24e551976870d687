"""Published event contracts: one module per service, each with its `registry` of event types.

A service may import the contract module of any service whose events it reads; never its code.
"""

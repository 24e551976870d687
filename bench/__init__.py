"""Platform benchmarks: each figure beside a raw baseline measured in the same run on the same servers.

Run `python -m bench` from the repository root; see bench/README.md.
"""

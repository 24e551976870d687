"""A registration's proof of work, solved for real the way the browser does (`web.proof_of_work.solve`).

    body = {**person, "proof_of_work": await solved_challenge(client)}

Tests run their service with a low difficulty (`maxnumber`), so solving takes microseconds.
"""

from __future__ import annotations

import httpx

from ..web.proof_of_work import solve

CHALLENGE_PATH = "/proof-of-work/challenge"


async def solved_challenge(client: httpx.AsyncClient, path: str = CHALLENGE_PATH) -> str:
    """Fetch a challenge from the service and return the payload that solves it."""
    answer = await client.get(path)
    assert answer.status_code == 200, answer.text
    return solve(answer.json())

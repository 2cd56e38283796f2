"""Generate a large synthetic brief for parse-time benchmarks and linearity tests.

The brief has the shapes real ones have, scaled up: body paragraphs with superscript markers,
page furniture every few paragraphs, and an "Endnotes" section mixing full citations with
URLs and access dates, Ibid. chains, shortened citations and supra references.
"""

from __future__ import annotations

import random

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_WORDS = [
    "alliance",
    "maritime",
    "security",
    "cooperation",
    "budget",
    "ministry",
    "strategy",
    "deterrence",
    "regional",
    "partners",
    "command",
    "forces",
    "policy",
    "reform",
    "capability",
    "investment",
    "treaty",
    "logistics",
    "supply",
]


def brief(notes: int, *, seed: int = 7, filler: int = 24) -> str:
    """A brief with `notes` endnotes; `filler` words of prose per marker set its size."""
    rng = random.Random(seed)
    body: list[str] = ["A Synthetic Brief on Harbour Policy", "", "March 3, 2024", ""]
    for n in range(1, notes + 1):
        words = " ".join(rng.choice(_WORDS) for _ in range(filler))
        body.append(f"The {words} grew by 3.2 percent in 2021.{str(n).translate(_SUP)}")
        body.append("")
        if n % 40 == 0:
            body += ["Harbour Policy Institute | Brief No. 12", "", str(n // 40), ""]
    out = [*body, "Endnotes", ""]
    for n in range(1, notes + 1):
        if n % 10 == 2:
            out.append(f"{n}. Ibid., p. {n % 50 + 1}.")
        elif n % 10 == 5:
            out.append(f"{n}. Author{n - 4}, *Report Number {n - 4}*, p. {n % 30 + 1}.")
        elif n % 10 == 7:
            out.append(f"{n}. Author{n - 6}, supra note {n - 6}, at {n % 90 + 1}.")
        else:
            out.append(
                f"{n}. Jane Author{n}, *Report Number {n} on Harbour Policy*, Institute, "
                f"March {n % 28 + 1}, 2023, p. {n % 40 + 1}, "
                f"https://www.example.org/reports/{2020 + n % 4}/report-{n}-harbour-"
                f"policy.pdf (accessed April {n % 28 + 1}, 2024)."
            )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(brief(int(sys.argv[1]) if len(sys.argv) > 1 else 20000))

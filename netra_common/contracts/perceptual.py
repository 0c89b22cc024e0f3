"""What `perceptual_hash` in evidence_stored means to its readers: a 64-bit pHash (hex), and how
near two must be to show the same post. evidence makes the hashes; casework links cases by them.
"""

from __future__ import annotations

# Hamming distance between two pHashes under which two screenshots show the same post:
# re-compression, small crops and resizing stay well below it, different posts well above.
NEAR_DUPLICATE_DISTANCE = 12


def hash_distance(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def near_duplicate(a: str, b: str) -> bool:
    return hash_distance(a, b) <= NEAR_DUPLICATE_DISTANCE

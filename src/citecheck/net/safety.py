"""Which network targets citecheck refuses to fetch (DESIGN.md §9).

A document must not make the checker probe the user's own network (`http://192.168.1.1/admin`,
the cloud metadata service at 169.254.169.254). Unless `allow_private` is set, every address a
request would connect to is checked: the literal in the URL before the request, each address a
name resolves to inside the resolver (transport.py: what is actually connected to, so DNS
rebinding cannot slip past), and every redirect target. Pure functions only.
"""

from __future__ import annotations

import ipaddress
import socket

# Metadata services that sit on otherwise ordinary-looking ranges. 169.254.169.254 (AWS, GCP,
# Azure, …) is link-local and fd00:ec2::254 is unique-local, both caught by `is_global`; these
# are named so the refusal can say what they are.
METADATA = {
    "169.254.169.254": "cloud metadata",
    "169.254.170.2": "cloud metadata",  # AWS ECS task metadata
    "100.100.100.200": "cloud metadata",  # Alibaba Cloud
    "fd00:ec2::254": "cloud metadata",
}

# Names that resolve to the machine itself on any system (RFC 6761 §6.3, RFC 6762).
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


class ForbiddenTarget(OSError):
    """Raised by the safe resolver: the name resolves only to addresses we refuse."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"{host} is a {reason} address: not fetched (use --allow-private)")
        self.host = host
        self.reason = reason


def address_problem(address: str) -> str | None:
    """Why `address` (an IP literal) must not be fetched, or None when it is public."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            return address_problem(str(embedded))
    if str(ip) in METADATA:
        return METADATA[str(ip)]
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified or ip.is_multicast or ip.is_reserved:
        return "reserved"
    if ip.is_private or not ip.is_global:
        return "private"
    return None


def literal_address(host: str) -> str | None:
    """The IP address a URL host denotes by itself, without DNS, or None for a name.

    Covers the legacy numeric forms that `inet_aton` accepts (`2130706433`, `127.1`,
    `0x7f.0.0.1`): some resolvers map them onto an address, so they must be judged as one.
    """
    bare = host.strip("[]")
    try:
        return str(ipaddress.ip_address(bare.split("%", 1)[0]))
    except ValueError:
        pass
    if bare and all(c in "0123456789abcdefxABCDEFX." for c in bare) and bare[0].isdigit():
        try:
            return socket.inet_ntoa(socket.inet_aton(bare))
        except OSError:
            return None
    return None


def host_problem(host: str) -> str | None:
    """Why a URL's host must not be fetched, judged before any DNS look-up, or None."""
    name = host.lower().rstrip(".")
    if name in LOCAL_NAMES or name.endswith(".localhost"):
        return "loopback"
    literal = literal_address(name)
    return address_problem(literal) if literal is not None else None

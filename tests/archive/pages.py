"""Pages for the drift tests: one article as archived, and the live site's later versions."""

from __future__ import annotations

ARTICLE = (
    "The port of Rotterdam handled 439 million tonnes of cargo, a fall of six percent on the "
    "previous year. Container throughput declined as fewer ships called from Asia, while "
    "liquid bulk held steady thanks to imports of liquefied natural gas. The authority said "
    "that congestion at the Maasvlakte terminals had eased and that investment in shore "
    "power would continue. Analysts expect volumes to recover slowly as trade with China "
    "normalises and as new rail links to the German hinterland open."
)
REWRITTEN = (
    "Our new strategy puts customers first. Explore digital services for shippers, book a "
    "berth online in minutes, and discover how the smart port platform connects carriers, "
    "forwarders and customs in one place. Sign up for the webinar series on sustainable "
    "logistics, read the sustainability charter, and meet the team behind the innovation lab "
    "that is building tomorrow's maritime ecosystem today."
)


def html(main: str, *, menu: str = "Home | News | About", date: str = "April 3, 2024",
         year: str = "2024", sidebar: str = "", toolbar: bool = False) -> bytes:
    bar = ('<div id="wm-ipp-base"><div id="wm-ipp">Wayback Machine 58 captures '
           "1 Jan 2020 - 9 Apr 2024 Go Apr MAY Jun About this capture</div></div>"
           if toolbar else "")
    side = f'<aside class="sidebar"><p>{sidebar}</p></aside>' if sidebar else ""
    return (
        "<!doctype html><html><head><title>Port volumes fall</title>"
        "<script>var tracking = 'abc';</script><style>p{color:red}</style></head><body>"
        f"{bar}<header class=\"site-header\"><nav><a>{menu}</a></nav></header>"
        f"<main><article><h1>Port volumes fall</h1><p class=\"dateline\">Updated {date}</p>"
        f"<p>{main}</p></article></main>{side}"
        f"<footer>© {year} Example Port Authority. All rights reserved.</footer>"
        "</body></html>"
    ).encode()

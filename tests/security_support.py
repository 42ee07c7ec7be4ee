"""Helpers shared by the security tests: hostile article payloads, a permissive Markdown renderer to inspect
exports with, and the Gradio API client of eval/reliability/load.py."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from markdown_it import MarkdownIt

from ui_support import ROOT

_spec = importlib.util.spec_from_file_location("reliability_load", ROOT / "eval" / "reliability" / "load.py")
load = sys.modules.setdefault("reliability_load", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(load)

# --- hostile articles ------------------------------------------------------------------------------

PWN = "window.__pwned"
KESTREL_TITLE = f'<script>{PWN}="title-script"</script>Kestrel <img src=x onerror="{PWN}=\'title-img\';alert(1)"> radar order'
KESTREL_BODY = f"""The Air Force ordered 57 Kestrel radars <img src=x onerror="{PWN}='body-img';alert('body')"> for 230 million dollars on April 2, the service said.
<script>{PWN}='body-script'; alert('script')</script>
See [the order](javascript:{PWN}='md-link') or <a href="javascript:alert('a')">this</a> or <iframe src="javascript:alert('iframe')"></iframe>.
&lt;script&gt;{PWN}='entity'&lt;/script&gt; &#60;img src=x onerror=alert('num-entity')&#62; <a href="&#106;avascript:alert('entity-href')">x</a>
The Kestrel radar can track 300 targets at once and detect aircraft at 400 kilometres, according to the Air Force."""
OSPREY_TITLE = "[Osprey](javascript:alert('title-md')) tanker &lt;img src=x onerror=alert(1)&gt; deal"
OSPREY_BODY = f"""The Marine Corps bought 24 Osprey tanker kits for 1.2 billion dollars on May 5, the service said.
<details open ontoggle="{PWN}='toggle'">x</details> <svg><animate onbegin="{PWN}='svg'" attributeName=x dur=1s></svg>
![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) <javascript:alert('autolink')> [ref]: javascript:alert('ref')
The Osprey tanker kits refuel helicopters in flight and will be delivered from 2027, the Marine Corps added."""
HERON_URL = f'https://example.com/heron?a=1&b="><script>{PWN}=\'href\'</script>'
HERON_BODY = """The Army ordered 31 Heron ground stations for 75 million dollars on June 7, the service said.
The Heron ground stations control long-endurance drones and will be fielded to three divisions by 2028."""

PAYLOAD_ARTICLES = {
    "kestrel.md": dict(title=KESTREL_TITLE, date="2025-04-02", source=f"<svg/onload=\"{PWN}='source'\">Evil</svg> Wire",
                       url=f"javascript:{PWN}='url';alert(1)", body=KESTREL_BODY),
    "osprey.md": dict(title=OSPREY_TITLE, date="2025-05-05", source=f'Wire" onmouseover="{PWN}=\'attr\'',
                      url="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", body=OSPREY_BODY),
    "heron.md": dict(title="Army buys Heron ground stations", date="2025-06-07", source="Harbor Line", url=HERON_URL, body=HERON_BODY),
}
FALCON_RECORD = {"id": "falcon", "title": "Falcon <b onmouseover=alert(1)>counter-drone</b> lasers", "date": "2025-07-08",
                 "source": "JSONL Wire", "url": f"  JaVaScRiPt:{PWN}='jsonl'",
                 "body": "The Navy ordered 12 Falcon counter-drone lasers for 88 million dollars on July 8, the service said. "
                         "The Falcon lasers defeat small drones at up to 2 kilometres, the Navy added."}
GRIFFIN_HTML = f"""<html><head><title>Griffin &lt;img src=x onerror="{PWN}='html-title'"&gt; missiles</title></head>
<body><h1>Army buys Griffin &lt;img src=x onerror="{PWN}='html-h1'"&gt; missiles</h1>
<p>The Army bought 44 Griffin missiles &lt;img src=x onerror="{PWN}='html-entity'"&gt; for 18 million dollars on August 9, the service said.</p>
<script>{PWN}='html-script'</script><p>The Griffin missiles arm small patrol boats and drones, according to the Army.</p></body></html>"""
QUESTIONS = {
    "How many Kestrel radars did the Air Force order?": "57",
    "How many Osprey tanker kits did the Marine Corps buy?": "24",
    "How many Heron ground stations did the Army order?": "31",
    "How many Falcon counter-drone lasers did the Navy order?": "12",
    "How many Griffin missiles did the Army buy?": "44",
}


def write_payloads(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, a in PAYLOAD_ARTICLES.items():  # JSON strings are valid YAML double-quoted scalars
        front = [f"id: {Path(name).stem}"] + [f"{key}: {json.dumps(a[key])}" for key in ("title", "date", "source", "url")]
        (folder / name).write_text("---\n" + "\n".join(front) + "\n---\n" + a["body"] + "\n", encoding="utf-8")
    (folder / "falcon.jsonl").write_text(json.dumps(FALCON_RECORD) + "\n", encoding="utf-8")
    (folder / "griffin.html").write_text(GRIFFIN_HTML, encoding="utf-8")
    return folder


def rendered_markdown_tags(markdown: str) -> list[tuple[str, dict[str, str]]]:
    """Render with raw HTML allowed (the most permissive CommonMark viewer) and list the tags produced."""
    tokens = MarkdownIt("commonmark", {"html": True}).parse(markdown)
    found = []
    for token in tokens:
        for t in [token, *(token.children or [])]:
            if t.type in ("html_inline", "html_block"):
                found.append(("raw-html", {"content": t.content}))
            elif t.type in ("link_open", "image"):
                found.append((t.tag, {k: str(v) for k, v in (t.attrs or {}).items()}))
    return found

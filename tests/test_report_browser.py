"""The report page in a real browser: Debian's headless Chromium (``apt-get install
chromium``) opens ``masalign report --catalog aid_delivery`` with every network request
made to fail, at desktop (1280 px) and phone (375 px) widths. Checked: no console message
and no load error, every section present, every figure decoded (``complete`` and a
natural width), nothing wider than the phone's screen, and a screenshot that shows
something. Skipped when Chromium is not installed.

Headless Chromium's window is at least 500 px wide, so the page is measured inside an
``<iframe>`` as wide as the screen it stands for; the probe in the page posts what it
found to the frame around it, which writes it into the DOM that ``--dump-dom`` prints."""

import re
import shutil
import subprocess

import numpy as np
import pytest

from masalign.cli import main

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SECTIONS = ("game", "setting", "equilibria", "pareto", "alignment", "mechanisms")

#: Injected first in <head>: records every load error (images, scripts, style sheets:
#: the capture phase sees them) and, once the page has loaded, writes what it found into
#: attributes of <body> that ``--dump-dom`` shows.
PROBE = """<script>
window.__errors = [];
window.addEventListener("error", function (e) {
  var t = e.target || {};
  window.__errors.push(t.src || t.href || e.message || "error");
}, true);
window.addEventListener("load", function () {
  var images = Array.prototype.slice.call(document.images);
  var loaded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; });
  var width = document.documentElement.clientWidth;
  var wide = images.filter(function (i) { return i.getBoundingClientRect().right > width + 1; });
  var b = document.body;
  b.setAttribute("data-images", String(images.length));
  b.setAttribute("data-images-loaded", String(loaded.length));
  b.setAttribute("data-images-too-wide", String(wide.length));
  b.setAttribute("data-page-width", String(document.documentElement.scrollWidth));
  b.setAttribute("data-view-width", String(width));
  b.setAttribute("data-sections", Array.prototype.map.call(
    document.querySelectorAll("main > section"), function (s) { return s.id; }).join(" "));
  b.setAttribute("data-errors", String(window.__errors.length));
  var found = {};
  Array.prototype.forEach.call(b.attributes, function (a) { found[a.name] = a.value; });
  window.parent.postMessage(found, "*");
  console.log("masalign-probe-done");
});
</script>"""

#: The frame around the page: as wide as the screen measured; copies what the probe
#: posts onto its own <body>.
FRAME = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>frame</title>
<style>body{{margin:0}} iframe{{border:0;display:block}}</style><script>
window.addEventListener("message", function (e) {{
  for (var k in e.data) {{ document.body.setAttribute(k, e.data[k]); }}
}});
</script></head><body><iframe src="{src}" width="{width}" height="2000"></iframe></body>
</html>"""

MARKER = "masalign-probe-done"


def chromium(tmp_path, url, width, *mode):
    """Run headless Chromium on ``url``; returns (stdout, console lines of stderr)."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp_path / 'profile'}",
        "--no-first-run", "--disable-extensions", "--disable-sync",
        "--disable-background-networking", "--disable-component-update",
        # no network: every host unresolvable, every proxied request refused
        "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
        "--virtual-time-budget=10000", f"--window-size={width},2000", *mode, url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


def probe(tmp_path, page, width):
    """The attributes the probe wrote, and the console lines other than its own."""
    probed = tmp_path / f"probed-{width}-{page.name}"
    text = page.read_text(encoding="utf-8")
    probed.write_text(text.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    frame = tmp_path / f"frame-{width}-{page.name}"
    frame.write_text(FRAME.format(src=probed.name, width=width), encoding="utf-8")
    dom, console = chromium(tmp_path, frame.as_uri(), max(width, 500) + 40, "--dump-dom")
    body = re.search(r"<body([^>]*)>", dom)
    assert body is not None, dom[:500]
    attributes = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))
    assert any(MARKER in line for line in console), "the probe did not run"
    others = [line for line in console if MARKER not in line]
    return attributes, others


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    path = folder / "r.html"
    assert main(["report", "--catalog", "aid_delivery", "-o", str(path),
                 "--no-progress"]) == 0
    return path


def test_the_probe_sees_a_figure_that_does_not_load(tmp_path):
    """The check can fail: a page whose image is on another host shows it unloaded."""
    page = tmp_path / "remote.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x'
                    '</title></head><body><main><section id="a"><img alt="remote" '
                    'src="https://example.org/figure.png"></section></main></body></html>',
                    encoding="utf-8")
    found, _ = probe(tmp_path, page, 1280)
    assert found["images"] == "1" and found["images-loaded"] == "0"
    assert found["errors"] == "1"


@pytest.mark.parametrize("width", [1280, 375])
def test_the_report_renders_without_errors(page, tmp_path, width):
    found, console = probe(tmp_path, page, width)
    assert console == [], console                # no console message from the page
    assert found["errors"] == "0"                # nothing failed to load
    assert found["sections"].split() == list(SECTIONS)
    images = int(found["images"])
    assert images == 3                           # frontiers, comparison, trajectories
    assert found["images-loaded"] == found["images"]
    assert found["images-too-wide"] == "0"
    # nothing wider than the screen: tables scroll inside their own box
    assert int(found["page-width"]) <= int(found["view-width"])
    assert int(found["view-width"]) == width


@pytest.mark.parametrize("width", [1280, 375])
def test_the_screenshot_shows_the_page(page, tmp_path, width):
    image = pytest.importorskip("matplotlib.image")
    shot = tmp_path / f"shot-{width}.png"
    _, console = chromium(tmp_path, page.as_uri(), width, f"--screenshot={shot}")
    assert console == []
    pixels = image.imread(shot)
    assert pixels.shape[:2] == (2000, width)
    rgb = pixels[..., :3].reshape(-1, 3)
    colours = np.unique((rgb * 255).round().astype(np.uint8), axis=0)
    assert len(colours) > 50                    # text, rules, figures: not a blank page
    dark = (rgb.mean(axis=1) < 0.3).mean()
    assert 0.005 < dark < 0.5                   # dark text on a light background
    # the heading's blue rule under each section title (Okabe-Ito blue #0072B2)
    blue = np.all(np.abs(rgb - np.array([0x00, 0x72, 0xB2]) / 255) < 0.02, axis=1)
    assert blue.sum() > width // 2

"""A SCORM launch host for the browser tests, as an LMS would be: the package unzipped and served on 127.0.0.1
with a host page that installs scorm-again (tests/tools, npm ci) as ``window.API`` (SCORM 1.2) or
``window.API_1484_11`` (SCORM 2004) and opens the package's ``index.html`` in an iframe.

One ``Host`` (an ``http.server`` in a thread, port 0) serves, under one origin:
- ``/host.html``: the host page (written here, not a file), and ``/nest.html``, a player frame between the
  host and the SCO (``launch(..., via="nested")``); ``via="window"`` opens the SCO in a window instead;
- ``/runtime/scorm12.js``, ``/runtime/scorm2004.js``: scorm-again's browser builds, from node_modules;
- ``/pkg/<name>/...``: each package added with ``Host.add``, unzipped into a temporary folder.

The host page wraps every method of the API the SCO can call and records each call with its arguments, its
return value and the runtime's last error right after it (``window.calls``); scorm-again's own log goes to
``window.runtimeLog`` (its warnings and errors). ``launch`` loads what an LMS preloads (``loadFromJSON`` before the SCO's
``Initialize``: the manifest's mastery score or ``cmi.scaled_passing_score``, and on a relaunch the data of the
last session), ``close`` takes the SCO away as an LMS does (the iframe goes to about:blank, so the SCO gets its
pagehide/unload) and returns the runtime's whole data model (``renderCMIToJSONObject``), and ``resume_data``
makes of that what an LMS hands back on the next launch (``cmi.core.entry`` / ``cmi.entry`` "resume" after
an exit "suspend").
"""

from __future__ import annotations

import http.server
import json
import threading
import xml.etree.ElementTree as ET
import zipfile
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlparse

REPO = Path(__file__).resolve().parent.parent
SCORM_AGAIN = REPO / "tests" / "tools" / "node_modules" / "scorm-again" / "dist"

# The API's methods a SCO may call, by standard; the first is where the session starts.
METHODS = {
    "12": ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError",
           "LMSGetErrorString", "LMSGetDiagnostic"],
    "2004": ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString",
             "GetDiagnostic"],
}

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>SCORM test host</title>
<style>html, body { margin: 0; height: 100%; } iframe { border: 0; width: 100%; height: 100%; display: block; }</style>
<script src="runtime/scorm12.js"></script>
<script src="runtime/scorm2004.js"></script>
<script>
window.calls = [];
window.runtimeLog = [];
window.launch = function (cfg) {
  var twelve = cfg.standard === "12";
  var settings = {
    autocommit: false, lmsCommitUrl: false, logLevel: 3,
    onLogMessage: function (level, message) { window.runtimeLog.push([String(level), String(message)]); }
  };
  var api = twelve ? new Scorm12API(settings) : new Scorm2004API(settings);
  if (cfg.preload) api.loadFromJSON(cfg.preload, "");
  var lastError = (twelve ? api.LMSGetLastError : api.GetLastError).bind(api);
  cfg.methods.forEach(function (name) {
    var original = api[name].bind(api);
    api[name] = function () {
      var args = Array.prototype.slice.call(arguments).map(String);
      var result = original.apply(null, arguments);
      window.calls.push({fn: name, args: args, result: String(result), error: String(lastError())});
      return result;
    };
  });
  window.api = api;
  if (twelve) window.API = api; else window.API_1484_11 = api;
  var url = "pkg/" + cfg.name + "/index.html" + (cfg.hash || "");
  if (cfg.via === "window") { window.scoWindow = window.open(url, "sco"); return; }
  var frame = document.createElement("iframe");
  frame.id = "sco";
  frame.title = "SCO";
  frame.src = cfg.via === "nested" ? "nest.html?src=" + encodeURIComponent(url) : url;
  document.body.appendChild(frame);
};
window.closeSco = function () {
  return new Promise(function (done) {
    if (window.scoWindow) {
      window.scoWindow.close();
      var wait = setInterval(function () {
        if (window.scoWindow.closed) { clearInterval(wait); setTimeout(function () { done(window.api.renderCMIToJSONObject()); }, 100); }
      }, 20);
      return;
    }
    var frame = document.getElementById("sco");
    frame.addEventListener("load", function () { done(window.api.renderCMIToJSONObject()); }, {once: true});
    frame.src = "about:blank";
  });
};
</script></head><body></body></html>
"""


# A page between the host and the SCO (an LMS's player frame): the SCO's API is two parents up.
NEST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>player</title>
<style>html, body { margin: 0; height: 100%; } iframe { border: 0; width: 100%; height: 100%; display: block; }</style>
</head><body><iframe title="SCO"></iframe>
<script>document.querySelector("iframe").src = new URLSearchParams(location.search).get("src");</script>
</body></html>
"""


def manifest_facts(folder: Path) -> dict[str, str]:
    """What an LMS reads from the package's manifest to launch it: ``masteryscore`` (1.2, adlcp:masteryscore)
    and ``minNormalizedMeasure`` (2004, imsss), when present."""
    root = ET.parse(folder / "imsmanifest.xml").getroot()
    facts: dict[str, str] = {}
    for el in root.iter():
        local = el.tag.rpartition("}")[2]
        if local == "masteryscore" and el.text:
            facts["masteryscore"] = el.text.strip()
        if local == "minNormalizedMeasure" and el.text:
            facts["minNormalizedMeasure"] = el.text.strip()
    return facts


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, host: Host, **kw):
        self.host = host
        super().__init__(*args, directory=str(host.root), **kw)

    def log_message(self, format, *args) -> None:
        self.host.requests.append(unquote(urlparse(self.path).path))

    def send_head(self):
        path = unquote(urlparse(self.path).path)
        if path in ("/host.html", "/nest.html"):
            body = (HOST_PAGE if path == "/host.html" else NEST_PAGE).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            return _Body(body)
        return super().send_head()

    def translate_path(self, path: str) -> str:
        clean = unquote(urlparse(path).path)
        if clean in ("/runtime/scorm12.js", "/runtime/scorm2004.js"):
            return str(SCORM_AGAIN / clean.rpartition("/")[2])
        return super().translate_path(path)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _Body:
    """A file-like body for send_head's caller (copyfile, then close)."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


class Host:
    """The packages' server on 127.0.0.1 (see the module's docstring). Use as a context manager."""

    def __init__(self, root: Path):
        self.root = root
        (root / "pkg").mkdir(parents=True, exist_ok=True)
        self.requests: list[str] = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, host=self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, package: Path, name: str) -> Path:
        """Unzip ``package`` into /pkg/<name>/; returns its folder."""
        folder = self.root / "pkg" / name
        with zipfile.ZipFile(package) as zf:
            zf.extractall(folder)
        return folder

    def __enter__(self) -> Host:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def keep_local(context, host: Host, seen: list[str]) -> None:
    """Fail every request of ``context`` that does not go to the host (data:, blob:, about: pass), and record it."""

    def handle(route):
        url = route.request.url
        if url.startswith((host.origin + "/", "data:", "blob:", "about:")):
            route.continue_()
        else:
            seen.append(url)
            route.abort()

    context.route("**/*", handle)


def lms_preload(host: Host, name: str, standard: str) -> dict:
    """What an LMS sets from the manifest before the launch: cmi.student_data.mastery_score (1.2) or
    cmi.scaled_passing_score (2004)."""
    facts = manifest_facts(host.root / "pkg" / name)
    if standard == "12":
        return {"student_data": {"mastery_score": facts["masteryscore"]}} if "masteryscore" in facts else {}
    if "minNormalizedMeasure" in facts:
        return {"scaled_passing_score": facts["minNormalizedMeasure"]}
    return {}


def launch(page, host: Host, name: str, standard: str, data: dict | None = None, hash: str = "",
           manifest: bool = True, via: str = "frame"):
    """Open the host page in ``page``, install the runtime with the manifest's facts (unless not
    ``manifest``: an LMS that does not read them) and ``data`` (the resume_data of a last session, or any
    data model values) preloaded, and load the package ``name`` ``via`` an iframe of the host ("frame"), an
    iframe in an iframe ("nested") or a window the host opens ("window": the API is the opener's); returns
    the SCO's frame once its document has loaded (its ``page`` takes the key presses)."""
    preload = _merge(lms_preload(host, name, standard) if manifest else {}, data or {})
    page.goto(f"{host.origin}/host.html")
    cfg = {"standard": standard, "name": name, "hash": hash, "preload": preload or None,
           "methods": METHODS[standard], "via": via}
    if via == "window":
        with page.expect_popup() as opened:
            page.evaluate("cfg => window.launch(cfg)", cfg)
        frame = opened.value.main_frame
    else:
        page.evaluate("cfg => window.launch(cfg)", cfg)
        frame = page.wait_for_selector("iframe#sco").content_frame()
        if via == "nested":
            frame.wait_for_load_state("load")
            frame = frame.wait_for_selector("iframe").content_frame()
    frame.wait_for_load_state("load")
    return frame


def calls(page) -> list[dict]:
    """Every API call the SCO has made in this launch: {fn, args, result, error}."""
    return page.evaluate("window.calls")


def runtime_log(page) -> list[list[str]]:
    return page.evaluate("window.runtimeLog")


def value(page, element: str) -> str:
    """An element of the runtime's data model as scorm-again holds it, read from the host (not through the
    SCO's API, so the call is not recorded; write-only elements come from the JSON render)."""
    return page.evaluate("""element => {
        const cmi = window.api.renderCMIToJSONObject().cmi;
        let v = cmi;
        for (const part of element.replace(/^cmi\\./, "").split(".")) v = v == null ? undefined : v[part];
        return v === undefined || v === null ? null : String(v);
    }""", element)


def getvalue(page, element: str) -> str:
    """``element`` through the runtime's own GetValue (its computed statuses, _count), unrecorded."""
    return page.evaluate("element => window.api.lmsGetValue(element)", element)


def close(page) -> dict:
    """Take the SCO away (its iframe to about:blank: the SCO's pagehide and unload run); return the
    runtime's data model as JSON ({"cmi": {...}})."""
    return page.evaluate("window.closeSco()")


def resume_data(dump: dict, standard: str) -> dict:
    """What an LMS hands the next launch of the same attempt, from the data model of the last session:
    location, suspend data, statuses, score, interactions, total time; entry "resume" after exit "suspend"."""
    cmi = dump["cmi"]
    if standard == "12":
        core = cmi["core"]
        out = {"core": {"lesson_location": core["lesson_location"], "lesson_status": core["lesson_status"],
                        "score": {k: core["score"][k] for k in ("raw", "min", "max")},
                        "entry": "resume" if core["exit"] == "suspend" else ""},
               "suspend_data": cmi["suspend_data"], "interactions": cmi["interactions"]}
    else:
        out = {k: cmi[k] for k in ("location", "suspend_data", "completion_status", "success_status",
                                   "progress_measure", "interactions")}
        out["score"] = {k: cmi["score"][k] for k in ("scaled", "raw", "min", "max")}
        out["entry"] = "resume" if cmi["exit"] == "suspend" else ""
    return _prune(out)


def _prune(tree: dict) -> dict:
    """Leave out empty values (loadFromJSON skips them anyway)."""
    out = {}
    for k, v in tree.items():
        if isinstance(v, dict):
            v = _prune(v)
        if v not in ("", None, {}):
            out[k] = v
    return out


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def dumps(records: list[dict]) -> str:
    """Calls as lines, for an assertion's message."""
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)

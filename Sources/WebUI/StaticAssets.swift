/// The stylesheet and the one script, served from `/ui/static/` so that the
/// Content-Security-Policy can allow `'self'` and forbid inline code. Compiled in: the
/// binary is the whole deployment.
enum StaticAssets {
    static let files: [String: (contentType: String, body: StaticString)] = [
        "ui.css": ("text/css; charset=utf-8", css),
        "ui.js": ("text/javascript; charset=utf-8", script),
    ]

    /// Light and dark follow `prefers-color-scheme`; colours keep a contrast of at least 4.5:1.
    static let css: StaticString = """
        :root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1b1b; --muted: #555555; --line: #d0d0d0;
          --panel: #f4f4f5; --link: #0b57d0; --mark-bg: #fff1b8; --mark-fg: #5c3c00; --err: #a1141b;
          --ok-bg: #e3f4e6; --ok-fg: #14532d; --bad-bg: #fde4e4; --bad-fg: #8a1116; --wait-bg: #e6eefc; --wait-fg: #123d8a;
          --run-bg: #fff3d6; --run-fg: #6b4200; --off-bg: #ececec; --off-fg: #3a3a3a; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #121316; --fg: #e8e8e8; --muted: #a9a9a9; --line: #3a3d44; --panel: #1c1e22; --link: #8ab4f8;
            --mark-bg: #5c4a00; --mark-fg: #fff1b8; --err: #ff9a9a; --ok-bg: #163b22; --ok-fg: #b5f0c6;
            --bad-bg: #4a1518; --bad-fg: #ffc9c9; --wait-bg: #18305c; --wait-fg: #c6dafc; --run-bg: #4a3500;
            --run-fg: #ffe2a3; --off-bg: #33353a; --off-fg: #dddddd; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, sans-serif; }
        a { color: var(--link); }
        header.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .6rem 1.2rem;
          border-bottom: 1px solid var(--line); background: var(--panel); }
        header.top .brand { font-weight: 700; text-decoration: none; color: var(--fg); }
        header.top ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
        header.top [aria-current] { font-weight: 700; }
        header.top .logout, header.top .refresh { margin-left: auto; }
        main { padding: 1rem 1.2rem 3rem; max-width: 110rem; }
        h1 { font-size: 1.5rem; margin: .4rem 0 1rem; }
        h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
        th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid var(--line); }
        thead th { background: var(--panel); }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.states, table.rates { width: auto; min-width: 24rem; }
        td.error { color: var(--err); max-width: 40rem; overflow-wrap: anywhere; }
        pre { background: var(--panel); border: 1px solid var(--line); padding: .6rem .8rem; overflow-x: auto;
          white-space: pre-wrap; overflow-wrap: anywhere; font: 13px/1.4 ui-monospace, monospace; margin: .4rem 0; }
        code { font: 13px ui-monospace, monospace; }
        .muted, .meta { color: var(--muted); }
        .meta { margin: .2rem 0; font-size: .9rem; }
        .error-text { color: var(--err); }
        pre.error-text { color: var(--err); }
        .badge { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: .85rem; font-weight: 600; }
        .state-succeeded { background: var(--ok-bg); color: var(--ok-fg); }
        .state-failed, .state-dead { background: var(--bad-bg); color: var(--bad-fg); }
        .state-queued { background: var(--wait-bg); color: var(--wait-fg); }
        .state-running { background: var(--run-bg); color: var(--run-fg); }
        .state-cancelled { background: var(--off-bg); color: var(--off-fg); }
        ul.counts { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; list-style: none; padding: 0; margin: 0 0 1rem; }
        ul.counts a { text-decoration: none; color: var(--fg); }
        ul.counts a[aria-current] { text-decoration: underline; }
        form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: 1rem; }
        input, select, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--muted);
          border-radius: .3rem; padding: .25rem .5rem; }
        button { cursor: pointer; background: var(--panel); }
        form.login { display: grid; gap: .5rem; max-width: 26rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
        dl.facts dt { font-weight: 600; }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        dl.big dd { font-size: 1.1rem; }
        .crumbs { margin: 0; color: var(--muted); }
        nav.pager, nav.pager ul { display: flex; gap: 1rem; list-style: none; padding: 0; margin: .5rem 0; }
        nav.pager [aria-current] { font-weight: 700; }
        ol.transcript { list-style: none; padding: 0; }
        li.step { border-left: 4px solid var(--line); padding: .2rem 0 .2rem .8rem; margin: 0 0 1.2rem; }
        li.step h2 { margin: 0; font-size: 1rem; }
        li.role-system { border-color: var(--muted); }
        li.role-user { border-color: var(--wait-fg); }
        li.role-assistant { border-color: var(--ok-fg); }
        li.role-tool { border-color: var(--run-fg); }
        ul.calls { padding-left: 1.2rem; }
        summary { cursor: pointer; color: var(--link); }
        mark.redacted { background: var(--mark-bg); color: var(--mark-fg); font-weight: 600; border-radius: .2rem; }
        span.ln { display: inline-block; min-width: 4.5em; color: var(--muted); user-select: none; }
        meter { width: 12rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .tools { display: flex; gap: .5rem; margin: .5rem 0; }
        """

    /// Progressive only: every page works without it. Adds an auto-refresh switch to pages
    /// that ask for one (`data-refresh` on `<body>`), and fold/unfold-all buttons to transcripts.
    static let script: StaticString = """
        "use strict";
        (function () {
          var body = document.body;
          var seconds = Number(body.getAttribute("data-refresh"));
          if (seconds > 0) {
            var key = "pipeline-agent-ui-refresh";
            var label = document.createElement("label");
            label.className = "refresh";
            var box = document.createElement("input");
            box.type = "checkbox";
            box.checked = window.localStorage.getItem(key) === "on";
            label.appendChild(box);
            label.appendChild(document.createTextNode(" Refresh every " + seconds + " s"));
            var header = document.querySelector("header.top");
            header.insertBefore(label, header.querySelector(".logout"));
            var timer = null;
            var arm = function () {
              if (timer) { window.clearTimeout(timer); timer = null; }
              if (box.checked) { timer = window.setTimeout(function () { window.location.reload(); }, seconds * 1000); }
            };
            box.addEventListener("change", function () {
              window.localStorage.setItem(key, box.checked ? "on" : "off");
              arm();
            });
            arm();
          }
          var transcript = document.querySelector("ol.transcript");
          if (transcript && transcript.querySelector("details")) {
            var tools = document.createElement("div");
            tools.className = "tools";
            [["Unfold all", true], ["Fold all", false]].forEach(function (item) {
              var button = document.createElement("button");
              button.type = "button";
              button.textContent = item[0];
              button.addEventListener("click", function () {
                transcript.querySelectorAll("details").forEach(function (d) { d.open = item[1]; });
              });
              tools.appendChild(button);
            });
            transcript.parentNode.insertBefore(tools, transcript);
          }
        })();
        """
}

// SPDX-License-Identifier: Apache-2.0
// The stylesheet and script every page inlines. Fonts are the reader's own: no web font, no
// URL of any kind.
#include "report/html/assets.hpp"

namespace assure::report::html::detail {

const std::string_view kStyle = R"CSS(
:root{--ok:#1a7f37;--bad:#cf222e;--undev:#8250df;--unk:#9a6700;--fg:#1f2328;--muted:#59636e;
--line:#d1d9e0;--soft:#f6f8fa;--link:#0969da}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","DejaVu Sans",Arial,sans-serif;
color:var(--fg);background:#fff}
a{color:var(--link)}
[id]{scroll-margin-top:4.5rem}
header{position:sticky;top:0;z-index:5;background:var(--soft);border-bottom:1px solid var(--line);
padding:.4rem 1rem;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;align-items:center}
header h1{font-size:1.05rem;margin:0}
header nav a{margin-right:.7rem;white-space:nowrap}
.find{position:relative}
#search{width:18rem;max-width:60vw;padding:.2rem .4rem;font:inherit}
#search-results{position:absolute;right:0;top:2rem;z-index:6;width:32rem;max-width:90vw;
max-height:70vh;overflow:auto;margin:0;padding:.3rem .6rem;list-style:none;background:#fff;
border:1px solid var(--line);box-shadow:0 4px 12px rgba(0,0,0,.15)}
#search-results li{padding:.1rem 0}
main{max-width:78rem;margin:0 auto;padding:.5rem 1rem 3rem}
h2{border-bottom:2px solid var(--line);padding-bottom:.15rem;margin:2rem 0 .6rem}
h3{margin:.2rem 0;font-size:1.05rem}
table{border-collapse:collapse;margin:.4rem 0;width:100%}
th,td{border:1px solid var(--line);padding:.15rem .4rem;text-align:left;vertical-align:top}
th{background:var(--soft)}
td.n{text-align:right}
code,.hash{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.85em}
.hash{word-break:break-all}
.muted,.loc{color:var(--muted)}
.loc{font-size:.85em}
.lbl{font-weight:600}
.badge{display:inline-block;padding:0 .45rem;border-radius:.7rem;color:#fff;font-size:.8em;
font-weight:600;vertical-align:baseline;background:var(--muted);
-webkit-print-color-adjust:exact;print-color-adjust:exact}
.s-ok{background:var(--ok)}.s-bad{background:var(--bad)}.s-undev{background:var(--undev)}
.s-unk{background:var(--unk)}
.verdict{font-size:1.1rem;font-weight:700}
.el{border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:4px;
padding:.3rem .8rem .5rem;margin:1rem 0}
.el.b-ok{border-left-color:var(--ok)}.el.b-bad{border-left-color:var(--bad)}
.el.b-undev{border-left-color:var(--undev)}.el.b-unk{border-left-color:var(--unk)}
.el p{margin:.25rem 0}
.el ul,.el ol{margin:.2rem 0;padding-left:1.4rem}
.title{font-style:italic}
.ob{background:var(--soft);border-radius:4px;padding:.2rem .6rem;margin:.4rem 0}
.reason{color:var(--bad)}
.hl{outline:3px solid var(--link);outline-offset:2px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.4rem 0}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.diagram{overflow:auto;max-height:85vh;border:1px solid var(--line);border-radius:4px;
background:#fff;margin:.4rem 0 1.2rem}
.diagram svg{display:block;max-width:100%;height:auto}
.diagram.actual svg{max-width:none}
button.zoom{font:inherit;font-size:.85rem;padding:.05rem .6rem;margin-left:.6rem;cursor:pointer}
button.show{font:inherit;padding:.15rem .7rem;margin:.3rem 0;cursor:pointer}
@media print{
header,#search-results,button.show,button.zoom,.noprint{display:none!important}
body{font-size:10pt}
main{max-width:none;padding:0}
a{color:inherit;text-decoration:none}
h2{break-after:avoid}
h3{break-after:avoid}
#diagrams,#elements{break-before:page}
.el,.ob,tr{break-inside:avoid}
.diagram,.diagram.actual{overflow:visible;max-height:none;border:none;break-inside:avoid}
.diagram svg,.diagram.actual svg{max-width:100%}
.hl{outline:none}
}
)CSS";

const std::string_view kHistoryStyle = R"CSS(
figure.chart-block{margin:.6rem 0 1.4rem}
svg.chart{display:block;max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px;
background:#fff}
details.chart-data summary{cursor:pointer;color:var(--muted);font-size:.9em}
@media print{figure.chart-block svg{break-inside:avoid}}
)CSS";

const std::string_view kScript = R"JS(
(function () {
  "use strict";
  var shown = document.getElementById("shown");
  var last = null;
  var kTags = /^(a|b|br|code|dd|details|div|dl|dt|h3|h4|i|li|ol|p|section|span|summary|table|tbody|td|th|thead|tr|ul)$/;
  var kSpec = /^([a-z0-9]+)((?:\.[^.#>]+)*)(?:([#>])(.*))?$/;
  // Builds the nodes of inert section data (an array of nodes: a string is text, an array is
  // [spec, child...]) with createElement and text nodes only: no markup is parsed from text.
  function build(n) {
    if (typeof n === "string") { return document.createTextNode(n); }
    var m = kSpec.exec(n[0]) || [null, "span", "", "", ""];
    var el = document.createElement(kTags.test(m[1]) ? m[1] : "span");
    if (m[2]) { el.className = m[2].slice(1).split(".").join(" "); }
    if (m[3] === "#") { el.id = m[4]; }
    if (m[3] === ">") { el.setAttribute("href", "#" + m[4]); }
    for (var i = 1; i < n.length; i++) { el.appendChild(build(n[i])); }
    return el;
  }
  function render(script, parent, before) {
    var nodes = JSON.parse(script.textContent);
    for (var i = 0; i < nodes.length; i++) { parent.insertBefore(build(nodes[i]), before); }
    script.parentNode.removeChild(script);
  }
  function expand(block) {
    var data = block.querySelector(":scope > script");
    if (!data) { return; }
    var b = block.querySelector(":scope > button.show");
    if (b) { block.removeChild(b); }
    render(data, block, null);
  }
  function reveal(id) {
    if (!id) { return null; }
    var el = document.getElementById(id);
    if (el && el.tagName !== "SCRIPT") { return el; }
    var t = document.getElementById("t-" + id);
    if (t && shown) {
      render(t, shown, null);
      return document.getElementById(id);
    }
    var blocks = document.querySelectorAll("div.deferred");
    for (var i = 0; i < blocks.length; i++) {
      var data = blocks[i].querySelector(":scope > script");
      if (data && data.textContent.indexOf("#" + id + "\"") >= 0) {
        expand(blocks[i]);
        return document.getElementById(id);
      }
    }
    return null;
  }
  function go() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var el = reveal(id);
    if (!el) { return; }
    if (last) { last.classList.remove("hl"); }
    el.classList.add("hl");
    last = el;
    el.scrollIntoView();
  }
  window.addEventListener("hashchange", go);
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("button.show") : null;
    if (b && b.parentNode) { expand(b.parentNode); }
    var z = ev.target.closest ? ev.target.closest("button.zoom") : null;
    var d = z ? document.getElementById(z.getAttribute("data-for")) : null;
    if (d) {
      var actual = d.classList.toggle("actual");
      z.textContent = actual ? "Fit to width" : "Actual size";
    }
  });
  window.addEventListener("beforeprint", function () {
    var ds = document.querySelectorAll("details");
    for (var i = 0; i < ds.length; i++) { ds[i].open = true; }
  });
  var data = [];
  var node = document.getElementById("index-data");
  if (node) { data = JSON.parse(node.textContent); }
  var keys = [];
  for (var i = 0; i < data.length; i++) {
    keys.push((data[i][1] + "\n" + data[i][4]).toLowerCase());
  }
  var box = document.getElementById("search");
  var list = document.getElementById("search-results");
  var kMax = 60;
  function item(e) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = "#" + e[0];
    a.textContent = e[1];
    var k = document.createElement("span");
    k.className = "muted";
    k.textContent = " " + e[2] + " ";
    var s = document.createElement("span");
    s.className = "badge " + e[5];
    s.textContent = e[3];
    var t = document.createElement("div");
    t.className = "muted title";
    t.textContent = e[4];
    li.appendChild(a);
    li.appendChild(k);
    li.appendChild(s);
    li.appendChild(t);
    return li;
  }
  function search() {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var q = box.value.trim().toLowerCase();
    if (!q) { list.hidden = true; return; }
    var found = 0;
    for (var i = 0; i < data.length; i++) {
      if (keys[i].indexOf(q) < 0) { continue; }
      found++;
      if (found <= kMax) { list.appendChild(item(data[i])); }
    }
    var more = document.createElement("li");
    more.className = "muted";
    more.textContent = found === 0 ? "nothing matches" :
      found > kMax ? (found - kMax) + " more match; type more to narrow" : found + " found";
    list.appendChild(more);
    list.hidden = false;
  }
  if (box && list) {
    box.addEventListener("input", search);
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { box.value = ""; search(); }
    });
    list.addEventListener("click", function (ev) {
      if (ev.target.closest && ev.target.closest("a")) { list.hidden = true; }
    });
  }
  if (location.hash) { go(); }
})();
)JS";

} // namespace assure::report::html::detail

"""The HTML report's own stylesheet and script, inlined into every page and allowed by their hashes.

The style sets CJK line breaking (``line-break: strict``, ``overflow-wrap:
anywhere``, ``white-space: pre-wrap``), the passage colours (Paul Tol's pale
scheme behind text, his dark scheme for the numbers), a dark variant and a
print stylesheet. The script scrolls a pane to a clicked passage's match and
hides matches shorter than the number in the ``#minlen`` field. Neither
uses inline ``style`` attributes, ``eval`` or anything from the network, so
the page's Content-Security-Policy can forbid all of those.
"""

CSS = """
:root{--fg:#1b1b1b;--muted:#5f5f5f;--bg:#fff;--panel:#f6f6f6;--line:#d0d0d0;--link:#1a5fb4;
--c0:#BBCCEE;--c1:#CCEEFF;--c2:#CCDDAA;--c3:#EEEEBB;--c4:#FFCCCC;--c5:#DDDDDD;
--d0:#222255;--d1:#225555;--d2:#225522;--d3:#666633;--d4:#663333;--d5:#555555}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--muted:#a8a8a8;--bg:#151515;--panel:#222;--line:#444;
--link:#8ab4f8}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--fg);background:var(--bg);font:15px/1.6 system-ui,-apple-system,"Segoe UI",
"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif}
:lang(zh-Hant){font-family:system-ui,"Noto Sans CJK TC","Source Han Sans TC","PingFang TC",
"Microsoft JhengHei",sans-serif}
header,main{max-width:1400px;margin:0 auto;padding:0 16px}
header{padding-top:12px;border-bottom:1px solid var(--line)}
h1{font-size:1.5em;margin:.2em 0}h2{margin-top:1.6em;border-bottom:1px solid var(--line)}
h3{margin:1.4em 0 .3em}
a{color:var(--link)}
nav a{margin-right:1em}
.muted,.meta{color:var(--muted)}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
dl.counts{display:grid;grid-template-columns:repeat(auto-fill,minmax(11em,1fr));gap:4px 16px}
dl.counts div{background:var(--panel);padding:6px 10px;border-radius:4px}
dl.counts dt{color:var(--muted);font-size:.85em}dl.counts dd{margin:0;font-size:1.3em;font-weight:600}
svg{max-width:100%;height:auto;display:block}
svg text{fill:var(--fg);font-size:12px}
svg text.lbl{paint-order:stroke;stroke:var(--bg);stroke-width:4px;stroke-linejoin:round}
.graph{max-width:560px;flex:1 1 420px}
.family-top{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:flex-start}.hist{max-width:520px}
.bar{fill:#4477AA}
.template,.text{white-space:pre-wrap;line-break:strict;overflow-wrap:anywhere;word-break:normal}
.template{background:var(--panel);padding:10px;border-radius:4px;max-height:24em;overflow:auto}
.slot,.text .ph{background:#AA3377;color:#fff;border-radius:3px;padding:0 2px;font-weight:600}
.fill{text-decoration:underline 2px #882255;text-underline-offset:3px;font-weight:600}
.chrome{text-decoration:line-through;opacity:.7}
.edit{text-decoration:underline wavy 1px #CC6677;text-underline-offset:3px}
.controls{position:sticky;top:0;z-index:2;background:var(--bg);padding:6px 0;border-bottom:1px solid var(--line)}
.controls input{width:6em}
.pair{margin-bottom:2em}
.panes{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:12px}
.pane{border:1px solid var(--line);border-radius:4px;background:var(--bg)}
.pane h4{position:sticky;top:-8px;z-index:1;margin:-8px -10px 8px;padding:6px 10px;background:var(--panel);
border-bottom:1px solid var(--line);font-size:1em}
.pane .text{position:relative;max-height:70vh;overflow:auto;padding:8px 10px}
.u{color:var(--muted)}
mark.p{color:#000;border-radius:2px}
mark.c0{background:var(--c0)}mark.c1{background:var(--c1)}mark.c2{background:var(--c2)}
mark.c3{background:var(--c3)}mark.c4{background:var(--c4)}mark.c5{background:var(--c5)}
mark.p{cursor:pointer}
a.num{display:inline-block;min-width:1.6em;margin-right:2px;padding:0 4px;border-radius:3px;color:#fff;
font-weight:700;font-size:.85em;text-align:center;text-decoration:none;line-height:1.4}
a.c0{background:var(--d0)}a.c1{background:var(--d1)}a.c2{background:var(--d2)}a.c3{background:var(--d3)}
a.c4{background:var(--d4)}a.c5{background:var(--d5)}
a.num .moved{font-weight:400}
mark.off{background:none;color:var(--muted);cursor:auto}a.num.off{display:none}
.flash{outline:3px solid #EE7733;outline-offset:1px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.legend span{margin-right:1em}
@media (max-width:800px){.panes{grid-template-columns:1fr}}
@media print{
nav,.controls{display:none}
body{font-size:11pt}
header,main{max-width:none}
.pane .text,.template{max-height:none;overflow:visible}
.panes{grid-template-columns:1fr 1fr}
section.pair{break-before:page}
mark,a.num,.slot,.ph{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit;text-decoration:none}
}
""".strip()

JS = """
(function(){
"use strict";
function show(el){
  var pane=el.closest(".text");
  if(pane){
    var top=el.getBoundingClientRect().top-pane.getBoundingClientRect().top+pane.scrollTop;
    pane.scrollTop=Math.max(0,top-pane.clientHeight/3);
  }
  var r=el.getBoundingClientRect();
  if(r.top<0||r.bottom>window.innerHeight){el.scrollIntoView({block:"center"});}
  el.classList.add("flash");
  window.setTimeout(function(){el.classList.remove("flash");},1200);
}
document.addEventListener("click",function(ev){
  var from=ev.target.closest("[data-peer]");
  if(!from||from.classList.contains("off")){return;}
  var peer=document.getElementById(from.getAttribute("data-peer"));
  if(!peer){return;}
  ev.preventDefault();
  show(peer);
});
var input=document.getElementById("minlen");
function apply(){
  var n=parseInt(input.value,10)||0;
  var hidden=0;
  document.querySelectorAll("[data-len]").forEach(function(el){
    var off=parseInt(el.getAttribute("data-len"),10)<n;
    el.classList.toggle("off",off);
    if(off&&el.tagName==="A"){hidden+=1;}
  });
  var out=document.getElementById("hidden");
  if(out){out.textContent=hidden?String(hidden/2)+" hidden":"";}
}
if(input){input.addEventListener("input",apply);apply();}
})();
""".strip()

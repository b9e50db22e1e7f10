"""The HTML report's own stylesheet and script, inlined into every page and allowed by their hashes.

The style sets CJK line breaking (``line-break: strict``, ``overflow-wrap:
anywhere``, ``white-space: pre-wrap``), the passage colours (Paul Tol's pale
scheme behind text, his dark scheme for the numbers), a dark variant and a
print stylesheet. The script scrolls a pane to a clicked passage's match,
hides matches shorter than the number in the ``#minlen`` field, opens the
``<details>`` a followed link or the URL's hash points at (and every one
before printing), sorts a ``table.sortable`` by the column whose header is
clicked (a cell's ``data-v`` is its sort key; empty keys sort last either
way) and shows only the rows of the ``table.find`` tables that hold what is
typed in ``#find`` (case and width folded) in their ``data-find`` (the
fields to search, one a line, so a query never runs from one field into the
next; a row without one is searched in its text). Neither
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
.tall{max-height:30em;overflow-y:auto;border-bottom:1px solid var(--line)}
.tall thead th{position:sticky;top:0;z-index:1;background:var(--panel)}
.tall table{margin:0}td.date{white-space:nowrap}
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
.id{display:block;color:var(--muted);font-size:.8em;overflow-wrap:anywhere}.id.only{display:inline;color:inherit;
font-size:1em}
summary{cursor:pointer}summary h3{display:inline;margin:0;font-size:1.1em}summary .id,summary .meta{margin-left:1.1rem}
summary .meta{display:block;font-size:.9em}
details.family{border:1px solid var(--line);border-radius:4px;padding:6px 10px;margin:6px 0}
details.family,section.pair,h3{scroll-margin-top:3.5em}
section.pair{border-top:1px solid var(--line);padding-top:6px;margin-bottom:.6em}
details[open]>summary{margin-bottom:8px}
th button.sort{font:inherit;font-weight:700;color:inherit;background:none;border:0;padding:0;cursor:pointer;
text-align:inherit}
th[aria-sort=ascending] button.sort::after{content:" ▲"}th[aria-sort=descending] button.sort::after{content:" ▼"}
.controls input#find{width:22em;max-width:60vw}
.members{flex:1 1 520px;min-width:0}
@media (max-width:800px){.panes{grid-template-columns:1fr}}
@media print{
nav,.controls{display:none}
summary{list-style:none}
body{font-size:11pt}
header,main{max-width:none}
.pane .text,.template,.tall{max-height:none;overflow:visible}
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
function reveal(id){
  var el=id?document.getElementById(id):null;
  if(!el){return null;}
  var inner=el.tagName==="DETAILS"?el:el.querySelector(":scope>details");
  if(inner){inner.open=true;}
  for(var p=el.parentElement;p;p=p.parentElement){if(p.tagName==="DETAILS"){p.open=true;}}
  return el;
}
function fromHash(){
  var id="";
  try{id=decodeURIComponent(location.hash.slice(1));}catch(e){return;}
  var el=reveal(id);
  if(el){el.scrollIntoView();}
}
document.addEventListener("click",function(ev){
  var a=ev.target.closest("a[href^='#']");
  if(a&&!a.hasAttribute("data-peer")){reveal(a.getAttribute("href").slice(1));}
});
window.addEventListener("hashchange",fromHash);
if(location.hash){fromHash();}
var closed=[];
window.addEventListener("beforeprint",function(){
  closed=Array.prototype.filter.call(document.querySelectorAll("details"),function(d){return !d.open;});
  closed.forEach(function(d){d.open=true;});
});
window.addEventListener("afterprint",function(){closed.forEach(function(d){d.open=false;});closed=[];});
var collator=new Intl.Collator("zh-Hans-CN",{numeric:true});
function key(cell,num){
  var v=cell?cell.getAttribute("data-v"):"";
  if(v===null){v=cell.textContent.trim();}
  if(v===""){return null;}
  if(num){var n=parseFloat(v.replace(/[,%]/g,""));return isNaN(n)?null:n;}
  return v;
}
document.addEventListener("click",function(ev){
  var button=ev.target.closest("th button.sort");
  if(!button){return;}
  var th=button.parentElement,table=th.closest("table"),body=table.tBodies[0];
  if(!body){return;}
  var col=Array.prototype.indexOf.call(th.parentElement.children,th);
  var num=th.getAttribute("data-sort")==="num";
  var dir=th.getAttribute("aria-sort")==="ascending"?-1:1;
  table.querySelectorAll("th[aria-sort]").forEach(function(h){h.removeAttribute("aria-sort");});
  th.setAttribute("aria-sort",dir>0?"ascending":"descending");
  var rows=Array.prototype.map.call(body.rows,function(r,i){return {r:r,i:i,k:key(r.cells[col],num)};});
  rows.sort(function(x,y){
    if(x.k===null||y.k===null){return x.k===y.k?x.i-y.i:(x.k===null?1:-1);}
    var c=num?x.k-y.k:collator.compare(x.k,y.k);
    return c?c*dir:x.i-y.i;
  });
  var frag=document.createDocumentFragment();
  rows.forEach(function(x){frag.appendChild(x.r);});
  body.appendChild(frag);
});
var find=document.getElementById("find");
var folded=new WeakMap();
function fold(s){return s.normalize("NFKC").toLowerCase();}
function filter(){
  var q=fold(find.value.trim()),shown=0,total=0;
  document.querySelectorAll("table.find tbody tr").forEach(function(r){
    if(!folded.has(r)){folded.set(r,fold(r.hasAttribute("data-find")?r.getAttribute("data-find"):r.textContent));}
    var hit=!q||folded.get(r).indexOf(q)>=0;
    r.hidden=!hit;total+=1;if(hit){shown+=1;}
  });
  var out=document.getElementById("found");
  if(out){out.textContent=q?shown+" of "+total+" rows hold it":"";}
}
if(find){find.addEventListener("input",filter);filter();}
})();
""".strip()

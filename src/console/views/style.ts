/** The console's one stylesheet: system fonts, high contrast, readable at 2 a.m. on a laptop or a phone. */
export const CONSOLE_CSS = `
:root { --ink:#1b1f24; --muted:#5b6570; --line:#d9dee3; --bg:#f6f7f9; --card:#fff; --brand:#0b4f8a;
  --down:#b3261e; --degraded:#b26a00; --restored:#1e7d32; --pending:#9aa4ae; --sent:#4f8fd6; --delivered:#1e7d32;
  --failed:#b3261e; --skipped:#c9ced4; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
header { display:flex; gap:1.25rem; align-items:center; padding:.6rem 1.25rem; background:var(--brand); color:#fff; }
header a, header button.link { color:#fff; text-decoration:none; font-weight:500; }
header .brand { font-weight:700; letter-spacing:.02em; margin-right:1rem; }
header .spacer { flex:1; }
header .who { opacity:.85; font-size:.9rem; }
.badge { display:inline-block; min-width:1.4em; padding:0 .4em; border-radius:1em; background:#fff; color:var(--brand); font-size:.8rem; text-align:center; font-weight:700; }
main { max-width:1100px; margin:1.25rem auto; padding:0 1.25rem; }
h1 { font-size:1.4rem; margin:.2rem 0 1rem; } h2 { font-size:1.1rem; margin:1.2rem 0 .5rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:1rem 1.25rem; margin-bottom:1rem; }
table { width:100%; border-collapse:collapse; background:var(--card); border:1px solid var(--line); border-radius:8px; }
th, td { text-align:left; padding:.5rem .75rem; border-bottom:1px solid var(--line); vertical-align:top; }
td:first-child { white-space:nowrap; }
th { font-size:.8rem; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
.chip { display:inline-block; padding:.05rem .5rem; margin:.1rem .2rem .1rem 0; border-radius:1rem; font-size:.8rem; border:1px solid currentColor; white-space:nowrap; }
.chip.down, .sev-critical { color:var(--down); } .chip.degraded, .sev-major { color:var(--degraded); } .chip.restored { color:var(--restored); }
.sev-minor { color:var(--muted); }
.state { font-weight:600; } .state.awaiting-approval { color:var(--degraded); } .state.rejected, .state.cancelled { color:var(--down); } .state.done { color:var(--restored); }
label { display:block; font-weight:600; margin:.6rem 0 .2rem; }
input[type=text], input[type=email], input[type=password], select, textarea { width:100%; padding:.45rem .55rem; font:inherit; border:1px solid #b8c0c8; border-radius:6px; background:#fff; }
textarea { min-height:4.5rem; }
button, .button { display:inline-block; padding:.5rem 1rem; font:inherit; font-weight:600; border-radius:6px; border:1px solid var(--brand); background:var(--brand); color:#fff; cursor:pointer; text-decoration:none; }
button.secondary, .button.secondary { background:#fff; color:var(--brand); }
button.danger { background:var(--down); border-color:var(--down); }
button:disabled { opacity:.45; cursor:not-allowed; }
button.link { background:none; border:0; padding:0; font-weight:500; }
.grid { display:grid; grid-template-columns: minmax(0,1.1fr) minmax(0,1fr); gap:1.25rem; align-items:start; }
@media (max-width: 800px) { .grid { grid-template-columns: 1fr; } }
.channels { display:grid; grid-template-columns: 1fr auto; gap:.3rem .75rem; align-items:center; }
.channels label { font-weight:400; margin:0; }
.row { display:flex; gap:.75rem; } .row > * { flex:1; }
.muted { color:var(--muted); } .small { font-size:.85rem; }
.notice-text { background:var(--bg); border:1px solid var(--line); border-radius:6px; padding:.5rem .6rem; white-space:pre-wrap; margin:.2rem 0; }
.alert { padding:.6rem .8rem; border-radius:6px; margin:.5rem 0; border:1px solid; }
.alert.warn { background:#fff4e0; border-color:#e8b25c; } .alert.ok { background:#e7f5e9; border-color:#7fbf87; } .alert.error { background:#fde8e7; border-color:#e58a84; }
.bar { display:flex; height:1.4rem; border-radius:4px; overflow:hidden; background:var(--pending); margin:.3rem 0; }
.bar span { display:block; height:100%; transition: width .4s; }
.bar .delivered { background:var(--delivered); } .bar .sent { background:var(--sent); } .bar .failed { background:var(--failed); } .bar .skipped { background:var(--skipped); }
.legend { display:flex; flex-wrap:wrap; gap:.9rem; font-size:.85rem; }
.legend i { display:inline-block; width:.7rem; height:.7rem; border-radius:2px; margin-right:.3rem; vertical-align:-1px; }
.percent { font-size:1.6rem; font-weight:700; }
.medium { margin-bottom:.9rem; }
.timeline { list-style:none; padding:0; margin:0; } .timeline li { border-left:3px solid var(--line); padding:.2rem 0 .8rem 1rem; }
.actions { display:flex; gap:.6rem; flex-wrap:wrap; margin-top:.8rem; }
.signin { max-width:380px; margin:4rem auto; }
`;

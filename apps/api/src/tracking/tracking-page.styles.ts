/** The tracking page's one style sheet (inlined under the response's CSP nonce). Mobile first: one column, large touch targets, system fonts, contrast above WCAG AA. */
export const TRACKING_PAGE_STYLE = [
  ':root{color-scheme:light;--ink:#1a1a1a;--muted:#4a4a4a;--brand:#0b4f8a;--ok:#1d6b34;--line:#c8c8c8}',
  '*{box-sizing:border-box}body{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#f6f7f9}',
  'header,footer{background:var(--brand);color:#fff;padding:.75rem 1rem}header p,footer p{margin:0}header a,footer a{color:#fff}',
  'main{max-width:40rem;margin:0 auto;padding:1rem}section{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1rem}',
  'h1{font-size:1.4rem;margin:.25rem 0}h2{font-size:1.15rem;margin:0 0 .5rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .75rem;margin:0}dt{color:var(--muted)}dd{margin:0}',
  'ol.steps{list-style:none;padding:0;margin:0}ol.steps li{position:relative;padding:0 0 .9rem 2.25rem}ol.steps li::before{content:"";position:absolute;left:.45rem;top:1.6rem;bottom:0;border-left:2px solid var(--line)}ol.steps li:last-child::before{display:none}',
  '.dot{position:absolute;left:0;top:.1rem;width:1.4rem;height:1.4rem;border-radius:50%;border:2px solid var(--muted);background:#fff;text-align:center;line-height:1.1rem;font-size:.8rem}',
  '.done .dot{background:var(--ok);border-color:var(--ok);color:#fff}.current .dot{border-color:var(--brand);box-shadow:0 0 0 3px #b9d4ee}.current strong{color:var(--brand)}',
  '.state,.when{display:block;color:var(--muted);font-size:.9rem}blockquote{margin:.25rem 0;padding:.5rem .75rem;border-left:4px solid var(--brand);background:#eef4fa}',
  'label{display:block;font-weight:600;margin:.5rem 0 .25rem}textarea{display:block;width:100%;min-height:5rem;font:inherit;padding:.5rem;border:1px solid var(--muted);border-radius:.25rem}',
  'button{font:inherit;font-weight:600;min-height:2.75rem;padding:.5rem 1rem;margin-top:.5rem;border:0;border-radius:.25rem;background:var(--brand);color:#fff}button.danger{background:#8a1c1c}',
  'fieldset{border:0;padding:0;margin:0}legend{font-weight:600}.stars{display:flex;gap:.5rem;flex-wrap:wrap}.stars label{display:inline-flex;align-items:center;gap:.25rem;min-height:2.75rem;padding:0 .75rem;border:1px solid var(--muted);border-radius:.25rem;margin:0;font-weight:400}',
  '.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}.check input{width:1.4rem;height:1.4rem;margin-top:.1rem}#result:empty{display:none}#result{font-weight:600}a{color:var(--brand)}',
  'ol.history{padding-left:1.25rem}ol.history li{margin:.5rem 0}',
  '.result:empty{display:none}.result{font-weight:600}.question{border:2px solid var(--brand)}.confirmation{background:#e3f1e7;border:1px solid var(--ok);border-radius:.5rem;padding:.75rem 1rem;font-weight:600}',
].join('');

import type { PhotoUploadTexts } from './tracking-photos';

/**
 * The tracking page's client script: each form posts its command to the REST routes with the
 * tracking token in X-Tracking-Token and shows the outcome in #result. No inline event handlers:
 * the template puts this in its one <script> element, under the response's CSP nonce.
 */
export function trackingPageScript(values: { number: string; token: string; done: string; failed: string; upload?: PhotoUploadTexts }): string {
  return `
const number=${jsonInScript(values.number)}, token=${jsonInScript(values.token)}, done=${jsonInScript(values.done)}, failed=${jsonInScript(values.failed)}, upload=${jsonInScript(values.upload ?? null)};
const post=async(form,path,body)=>{const r=await fetch(path,{method:'POST',headers:{'Content-Type':'application/json','X-Tracking-Token':token},body:JSON.stringify(body)});
 const j=await r.json().catch(()=>({}));const out=(form.closest('section')||document).querySelector('.result')||document.getElementById('result');out.textContent=r.ok?done:failed+': '+(j.detail||r.status);
 if(r.ok)setTimeout(()=>location.reload(),800);};
document.querySelectorAll('form[data-command]').forEach(f=>f.addEventListener('submit',ev=>{ev.preventDefault();
 const field=f.dataset.field;post(f,'/tickets/'+encodeURIComponent(number)+'/'+f.dataset.command,field?{[field]:f.elements[field].value}:{});}));
document.querySelectorAll('form[data-closure]').forEach(f=>f.addEventListener('submit',ev=>{ev.preventDefault();
 const fixed=f.dataset.closure==='yes';post(f,'/t/'+encodeURIComponent(number)+'/closure-check',fixed?{fixed}:{fixed,reason:f.elements.reason.value});}));
document.querySelectorAll('form[data-rating]').forEach(f=>f.addEventListener('submit',ev=>{ev.preventDefault();
 const comment=f.elements.comment.value.trim();post(f,'/t/'+encodeURIComponent(number)+'/rating',{rating:Number(f.elements.rating.value),...(comment?{comment}:{})});}));
document.querySelectorAll('form[data-upload]').forEach(f=>f.addEventListener('submit',async ev=>{ev.preventDefault();
 const out=f.querySelector('.result'),button=f.querySelector('button'),file=f.elements.file.files[0];if(!file||!upload)return;
 const body=new FormData();body.append('file',file);button.disabled=true;f.setAttribute('aria-busy','true');out.textContent=upload.pending;
 try{const r=await fetch('/t/'+encodeURIComponent(number)+'/attachments',{method:'POST',headers:{'X-Tracking-Token':token},body});
  const j=await r.json().catch(()=>({}));
  if(r.ok){out.textContent=upload.done;setTimeout(()=>location.reload(),800);return;}
  out.textContent=upload.errors[j.code]||(upload.failed+' ('+r.status+')');
 }catch(e){out.textContent=upload.failed;}
 button.disabled=false;f.removeAttribute('aria-busy');}));
`;
}

/** JSON safe inside a <script> element (no "</script>" or "<!--" can close it early). */
const jsonInScript = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

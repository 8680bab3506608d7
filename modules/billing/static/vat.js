// The billing details form: the VAT number is checked as it is typed (format and check digits
// of its country, and VIES when the server reaches it) through POST /api/v1/vat/quote, and the
// answer — or the reason of the refusal — is said under the field.
const field = document.getElementById("f-vat_number");
const country = document.getElementById("f-country");
const out = document.getElementById("vat-check");
const form = document.getElementById("details-form");
if (field && out && form) {
  const csrf = form.querySelector("input[name=_csrf]").value;
  let timer;
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const v = field.value.trim();
      if (!v) { out.textContent = ""; return; }
      const body = { customer_country: (country.value || v.slice(0, 2)).toUpperCase(), customer_kind: "business", vat_number: v, net_minor: 0 };
      try {
        const r = await fetch("/api/v1/vat/quote", { method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body) });
        const j = await r.json();
        out.textContent = r.ok ? out.dataset.ok : ((j.errors && j.errors[0] && j.errors[0].message) || out.dataset.bad);
        out.classList.toggle("error", !r.ok);
      } catch {
        out.textContent = "";
      }
    }, 300);
  });
}

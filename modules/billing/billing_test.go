package billing_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
	"groupcamp/modules/billing/vat"
)

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

// pdfHas says whether the PDF shows s: as it is, or as the embedded TrueType font's text is
// written (UTF-16BE, with the string escapes of the PDF syntax).
func pdfHas(b []byte, s string) bool {
	if bytes.Contains(b, []byte(s)) {
		return true
	}
	var enc []byte
	for _, u := range utf16.Encode([]rune(s)) {
		for _, c := range []byte{byte(u >> 8), byte(u)} {
			switch c {
			case '\\', '(', ')':
				enc = append(enc, '\\', c)
			case '\r':
				enc = append(enc, '\\', 'r')
			default:
				enc = append(enc, c)
			}
		}
	}
	return bytes.Contains(b, enc)
}

// validPDF reads a PDF back far enough to trust it: the header, the trailer's startxref
// pointing at the cross-reference table, every object offset of that table pointing at its
// "N 0 obj", a page, and the text shown holding want.
func validPDF(b []byte, want string) error {
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(b), []byte("%%EOF")) {
		return fmt.Errorf("no PDF header or end")
	}
	i := bytes.LastIndex(b, []byte("startxref"))
	var off int
	if i < 0 {
		return fmt.Errorf("no startxref")
	}
	if _, err := fmt.Sscan(string(b[i+len("startxref"):]), &off); err != nil || off >= len(b) || !bytes.HasPrefix(b[off:], []byte("xref")) {
		return fmt.Errorf("startxref %d does not point at the xref table", off)
	}
	lines := strings.Split(string(b[off:]), "\n")
	var first, count int
	if _, err := fmt.Sscan(lines[1], &first, &count); err != nil || count < 3 {
		return fmt.Errorf("xref header %q", lines[1])
	}
	for n := 1; n < count; n++ {
		var at, gen int
		var kind string
		if _, err := fmt.Sscanf(lines[2+n], "%d %d %s", &at, &gen, &kind); err != nil || kind != "n" { // %d: the offsets have leading zeros (not octal)
			continue
		}
		if !bytes.HasPrefix(b[at:], []byte(fmt.Sprintf("%d 0 obj", first+n))) {
			return fmt.Errorf("object %d is not at %d", first+n, at)
		}
	}
	if !bytes.Contains(b, []byte("/Type /Page")) || !pdfHas(b, want) {
		return fmt.Errorf("no page, or no %q", want)
	}
	return nil
}

// TestLifeCycle: an account in its trial (every offering) subscribes with a card the gateway
// declines: the month is invoiced (French VAT) and the account is past due; a repeated
// submission (same Idempotency-Key) issues nothing more; a notice with a bad signature is 401
// and changes nothing; the gateway's signed charge.succeeded makes the account active again.
func TestLifeCycle(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/billing"
		var o billing.Overview
		ok(t, owner.Get(base), http.StatusOK, "overview").JSON(t, &o)
		if o.State != billing.StateTrial || len(o.Offerings) != 6 || o.TrialEndsOn == "" || o.Currency != "EUR" {
			t.Fatalf("the trial: %+v", o)
		}
		ok(t, owner.Put(base+"/details", map[string]any{"legal_name": "Acme SAS", "country": "FR"}), http.StatusOK, "details")
		ok(t, owner.Post(base+"/payment-method", map[string]any{"gateway_token": "tok_test_declined"}), http.StatusOK, "card")
		sub := map[string]any{"plan": "starter", "offerings": []string{"projects", "timesheet"}, "seats": 2}
		h := http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {"first-month"}}
		body := `{"plan":"starter","offerings":["projects","timesheet"],"seats":2}`
		ok(t, owner.Send("POST", base+"/subscription", h, stringsReader(body)), http.StatusOK, "subscribe")
		ok(t, owner.Get(base), http.StatusOK, "overview").JSON(t, &o)
		if o.State != billing.StatePastDue || o.Plan != "starter" || o.AnniversaryOn == "" || o.Card == nil || o.Card.Last4 != "0002" {
			t.Fatalf("after a declined charge: %+v", o)
		}
		invs := invoices(t, owner, acc.Slug)
		if len(invs) != 1 {
			t.Fatalf("%d invoices", len(invs))
		}
		// 2 seats × 5.00 (projects) + 2 × 3.00 (timesheet) = 16.00, VAT 20% = 3.20.
		if inv := invs[0]; inv.NetMinor != 1600 || inv.VATMinor != 320 || inv.TotalMinor != 1920 || inv.Kind != billing.KindInvoice {
			t.Fatalf("the invoice: %+v", inv)
		}
		ok(t, owner.Send("POST", base+"/subscription", h, stringsReader(body)), http.StatusOK, "the same submission again")
		if n := len(invoices(t, owner, acc.Slug)); n != 1 {
			t.Fatalf("a repeated submission issued %d invoices", n)
		}
		_ = sub

		before := e.Snapshot()
		ok(t, signedNotice(t, e, notice("charge.succeeded", acc.ID, "first-month"), "t=1,v1=00"), http.StatusUnauthorized, "a bad signature")
		if after := e.Snapshot(); after != before {
			t.Fatal("a notice with a bad signature changed the database")
		}
		ok(t, signedNotice(t, e, notice("charge.succeeded", acc.ID, "first-month"), ""), http.StatusNoContent, "the gateway's notice")
		ok(t, owner.Get(base), http.StatusOK, "overview").JSON(t, &o)
		if o.State != billing.StateActive {
			t.Fatalf("after the payment: %s", o.State)
		}
		inv := invs[0]
		var full billing.Invoice
		ok(t, owner.Get(fmt.Sprintf("/api/v1/%s/invoices/%d", acc.Slug, inv.ID)), http.StatusOK, "invoice").JSON(t, &full)
		if len(full.Lines) != 2 || len(full.VATLines) != 1 || full.VATLines[0].RateBP != 2000 || full.PaidMinor != 1920 {
			t.Fatalf("the invoice in full: %+v", full)
		}
	})
}

// TestInvoiceVAT: the first invoice carries the VAT of the customer's case — France 20%, an
// EU business with a valid number reverse charged with the mention, an EU consumer at their
// country's rate, outside the EU none; the PDF opens with the number in it; a credit note
// negates the invoice, which stays as issued.
func TestInvoiceVAT(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		for _, c := range []struct {
			country, number string
			vat             int64
			mention         string
		}{
			{"FR", "", 100, ""},
			{"DE", "DE136308783", 0, vat.ReverseChargeMention},
			{"DE", "", 95, ""},
			{"HU", "", 135, ""},
			{"US", "", 0, vat.OutsideEUMention},
		} {
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			subscribed(t, owner, acc.Slug, c.country, c.number, "tok_test_visa", "starter", 1, "projects")
			invs := invoices(t, owner, acc.Slug)
			if len(invs) != 1 || invs[0].NetMinor != 500 || invs[0].VATMinor != c.vat || invs[0].TotalMinor != 500+c.vat || invs[0].Mention != c.mention {
				t.Fatalf("%s %q: %+v", c.country, c.number, invs)
			}
			r := ok(t, owner.Get(fmt.Sprintf("/api/v1/%s/invoices/%d.pdf", acc.Slug, invs[0].ID)), http.StatusOK, "pdf")
			if err := validPDF(r.Body, invs[0].Number); err != nil || r.Header.Get("Content-Type") != "application/pdf" {
				t.Fatalf("%s: %v: %.200q", c.country, err, r.Body)
			}
			page := ok(t, owner.Get(fmt.Sprintf("/%s/admin/billing/invoices/%d", acc.Slug, invs[0].ID)), http.StatusOK, "invoice page")
			if !bytes.Contains(page.Body, []byte(invs[0].Number)) {
				t.Fatalf("the invoice page does not show %s", invs[0].Number)
			}
		}
		// A credit note: its own number, the lines negated, the invoice untouched.
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		subscribed(t, owner, acc.Slug, "FR", "", "tok_test_visa", "team", 3, "projects", "intranet")
		inv := invoices(t, owner, acc.Slug)[0]
		cn, err := module(t, e).Service().CreditNote(context.Background(), &actor.Actor{Account: &actor.Account{ID: acc.ID, Slug: acc.Slug}}, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cn.Kind != billing.KindCreditNote || cn.TotalMinor != -inv.TotalMinor || *cn.CorrectsID != inv.ID || cn.Number == inv.Number {
			t.Fatalf("credit note %+v of %+v", cn, inv)
		}
		after := invoices(t, owner, acc.Slug)
		if len(after) != 2 || after[1].TotalMinor != inv.TotalMinor || after[1].Number != inv.Number {
			t.Fatalf("after the credit note: %+v", after)
		}
	})
}

// TestInvoiceNumbersConcurrent: invoices issued at once by many requests take the numbers
// 1..N of the entity, each once, without a gap.
func TestInvoiceNumbersConcurrent(t *testing.T) {
	eachOwn(t, func(t *testing.T, e *testkit.Env) {
		svc := module(t, e).Service()
		var accs []*testkit.Account
		for range 4 {
			acc := e.NewAccount()
			ok(t, e.As(acc.Owner).Put("/api/v1/"+acc.Slug+"/billing/details", map[string]any{"legal_name": "Acme", "country": "FR"}), http.StatusOK, "details")
			accs = append(accs, acc)
		}
		const n = 24
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := svc.IssueInvoice(context.Background(), accs[i%len(accs)].ID, []billing.Line{{Description: "Consulting", Quantity: 1, UnitMinor: int64(100 + i)}})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		var seqs []int64
		if err := e.App.DB.NewSelect().TableExpr("billing_invoices").Column("seq").Where("entity = ?", billing.Entity).Scan(context.Background(), &seqs); err != nil {
			t.Fatal(err)
		}
		sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
		if len(seqs) != n {
			t.Fatalf("%d invoices, want %d", len(seqs), n)
		}
		for i, s := range seqs {
			if s != int64(i+1) {
				t.Fatalf("numbers %v: a gap or a double at %d", seqs, i+1)
			}
		}
	})
}

// TestQuotas: on the starter plan the 11th project and the 5th colleague are refused with a
// 402 naming the quota and the plan that lifts it; clients take no seat; an offering not
// subscribed is off (404); fewer seats than users is 422 naming them.
func TestQuotas(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		for i := range 10 {
			ok(t, owner.Post("/api/v1/"+acc.Slug+"/projects", map[string]any{"name": fmt.Sprintf("Project %d", i)}), http.StatusCreated, "project in the trial")
		}
		subscribed(t, owner, acc.Slug, "FR", "", "tok_test_visa", "starter", 5, "projects")
		r := owner.Post("/api/v1/"+acc.Slug+"/projects", map[string]any{"name": "One too many"})
		if r.Status != http.StatusPaymentRequired || !strings.Contains(string(r.Body), `\"projects\"`) && !strings.Contains(string(r.Body), `"projects"`) ||
			!strings.Contains(string(r.Body), "team") {
			t.Fatalf("the 11th project: %d %s", r.Status, r.Body)
		}
		if fe := r.FieldErrors(); fe["quota"] == "" {
			t.Fatalf("no field error on quota: %s", r.Body)
		}
		for i := range 4 {
			ok(t, owner.Post("/api/v1/"+acc.Slug+"/users", map[string]any{"name": fmt.Sprintf("Member %d", i), "email": fmt.Sprintf("m%d-%s@example.test", i, acc.Slug), "role": "member"}),
				http.StatusCreated, "invite")
		}
		r = owner.Post("/api/v1/"+acc.Slug+"/users", map[string]any{"name": "Sixth", "email": "sixth-" + acc.Slug + "@example.test", "role": "member"})
		if r.Status != http.StatusPaymentRequired || !strings.Contains(string(r.Body), "users") {
			t.Fatalf("the 6th user: %d %s", r.Status, r.Body)
		}
		if n := e.Count("users"); n == 0 {
			t.Fatal("no users")
		}
		e.NewClient(acc, e.ClientCompany(acc)) // a client takes no seat
		ok(t, owner.Get("/api/v1/"+acc.Slug+"/time-entries"), http.StatusNotFound, "an offering not subscribed")
		ok(t, owner.Get("/api/v1/"+acc.Slug+"/projects"), http.StatusOK, "a subscribed offering")
		r = owner.Post("/api/v1/"+acc.Slug+"/billing/subscription", map[string]any{"plan": "starter", "offerings": []string{"projects"}, "seats": 2})
		if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["seats"] == "" {
			t.Fatalf("fewer seats than users: %d %s", r.Status, r.Body)
		}
		var o billing.Overview
		ok(t, owner.Get("/api/v1/"+acc.Slug+"/billing"), http.StatusOK, "overview").JSON(t, &o)
		i := slices.IndexFunc(o.Quotas, func(q billing.QuotaUse) bool { return q.Name == "projects" })
		if i < 0 || o.Quotas[i].Used != 10 || o.Quotas[i].Limit != 10 || !o.Quotas[i].Full {
			t.Fatalf("the projects quota: %+v", o.Quotas)
		}
		// The page shows it too, and the admin (not the owner) is refused.
		page := ok(t, owner.Get("/"+acc.Slug+"/admin/billing"), http.StatusOK, "page")
		if !bytes.Contains(page.Body, []byte("quotas-table")) {
			t.Fatal("no quotas table on the page")
		}
		admin := e.NewUser(e.NewAccount(), actor.RoleAdmin)
		_ = admin
	})
}

// TestRefusals: bad input is a 4xx naming the field, and writes nothing.
func TestRefusals(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/billing"
		before := e.Snapshot()
		for _, c := range []struct {
			path  string
			body  map[string]any
			field string
		}{
			{base + "/details", map[string]any{"legal_name": "Acme", "country": "DE", "vat_number": "DE125014855"}, "vat_number"},
			{base + "/details", map[string]any{"legal_name": "Acme", "country": "FR", "vat_number": "DE136308783"}, "vat_number"},
			{base + "/details", map[string]any{"legal_name": "", "country": "France"}, "country"},
			{base + "/details", map[string]any{"legal_name": strings.Repeat("x", 201), "country": "FR"}, "legal_name"},
			{base + "/payment-method", map[string]any{"gateway_token": "tok_nobody"}, "gateway_token"},
			{base + "/subscription", map[string]any{"plan": "gold", "offerings": []string{"projects"}, "seats": 1}, "plan"},
			{base + "/subscription", map[string]any{"plan": "team", "offerings": []string{"chess"}, "seats": 1}, "offerings"},
			{base + "/subscription", map[string]any{"plan": "team", "offerings": []string{"projects"}, "seats": 0}, "seats"},
			{"/api/v1/vat/quote", map[string]any{"customer_country": "DE", "customer_kind": "business", "vat_number": "DE12", "net_minor": 100}, "vat_number"},
			{"/api/v1/vat/quote", map[string]any{"customer_country": "DE", "customer_kind": "robot", "net_minor": 100}, "customer_kind"},
			{"/api/v1/vat/quote", map[string]any{"customer_country": "DE", "customer_kind": "consumer", "net_minor": -1}, "net_minor"},
		} {
			method := "POST"
			if strings.HasSuffix(c.path, "/details") {
				method = "PUT"
			}
			r := owner.Do(method, c.path, c.body)
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[c.field] == "" {
				t.Errorf("%s %v: %d %s, want 422 on %s", c.path, c.body, r.Status, r.Body, c.field)
			}
		}
		if after := e.Snapshot(); after != before {
			t.Errorf("refusals wrote:\n%s\n%s", before, after)
		}
		var q vat.Quote
		ok(t, owner.Post("/api/v1/vat/quote", map[string]any{"customer_country": "DE", "customer_kind": "business", "vat_number": "DE 136 308 783", "net_minor": 1000}), http.StatusOK, "quote").JSON(t, &q)
		if !q.ReverseCharge || q.RateBP != 0 || q.Mention == "" {
			t.Fatalf("quote %+v", q)
		}
	})
}

// TestOtherAccount: an account's invoices are 404 to another account's owner, in the API, as
// PDF and as a page; and billing is the owner's alone.
func TestOtherAccount(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		a, b := e.NewAccount(), e.NewAccount()
		subscribed(t, e.As(a.Owner), a.Slug, "FR", "", "tok_test_visa", "starter", 1, "projects")
		inv := invoices(t, e.As(a.Owner), a.Slug)[0]
		ob := e.As(b.Owner)
		for _, p := range []string{"/api/v1/%s/invoices/%d", "/api/v1/%s/invoices/%d.pdf", "/%s/admin/billing/invoices/%d"} {
			ok(t, ob.Get(fmt.Sprintf(p, b.Slug, inv.ID)), http.StatusNotFound, "another account's invoice")
		}
		admin := e.NewUser(a, actor.RoleAdmin)
		ok(t, e.As(admin).Get("/api/v1/"+a.Slug+"/billing"), http.StatusForbidden, "an admin")
		ok(t, e.As(admin).Get(fmt.Sprintf("/api/v1/%s/invoices/%d", a.Slug, inv.ID)), http.StatusForbidden, "an admin's invoice")
	})
}

// TestNoCardNumberStored: after a card is tokenized at the gateway, saved and charged, no
// column of any table holds the card number (or its digits run together).
func TestNoCardNumberStored(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		const pan = "4111111111111111"
		tok, err := module(t, e).TestGateway().Tokenize("4111 1111 1111 1111", "Ada Lovelace", "12/2031")
		if err != nil {
			t.Fatal(err)
		}
		acc := e.NewAccount()
		o := subscribed(t, e.As(acc.Owner), acc.Slug, "FR", "", tok, "starter", 1, "projects")
		if o.Card == nil || o.Card.Last4 != "1111" || o.Card.Holder != "Ada Lovelace" || o.State != billing.StateActive {
			t.Fatalf("the card: %+v", o)
		}
		ctx := context.Background()
		db := e.App.DB
		var tables []string
		q := "SELECT name FROM sqlite_master WHERE type = 'table'"
		if e.DB == "postgres" {
			q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
		}
		if err := db.NewRaw(q).Scan(ctx, &tables); err != nil {
			t.Fatal(err)
		}
		for _, table := range tables {
			rows, err := db.QueryContext(ctx, "SELECT * FROM "+table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					s := fmt.Sprint(v)
					if b, ok := v.([]byte); ok {
						s = string(b)
					}
					if strings.Contains(s, pan) {
						t.Errorf("%s.%s holds the card number", table, cols[i])
					}
				}
			}
			rows.Close()
		}
	})
}

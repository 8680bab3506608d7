package billing_test

import (
	"os"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// TestBrowserBilling: the owner opens Billing from the administration menu (the trial of every
// offering, quotas), types a VAT number with a wrong check digit and is told so as they type
// and on saving, saves valid details, the test gateway's card, subscribes to the starter plan,
// and opens the first invoice (French VAT) from the list.
func TestBrowserBilling(t *testing.T) {
	t.Parallel()
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	acc := e.NewAccount()
	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: shots})
	tab.Go("/login")
	tab.Fill("Email", acc.Owner.Email)
	tab.Fill("Password", acc.Owner.Password)
	tab.Submit("Sign in")
	tab.Go("/" + acc.Slug)
	tab.Nav("Billing")
	tab.WantText("Trial", "Usage and quotas", "No invoice yet")
	tab.Fill("Legal name", "Acme Industries SAS")
	tab.Fill("Country", "DE")
	tab.Fill("VAT number", "DE 125 014 855")
	tab.WaitText("check digits are wrong")
	tab.Submit("Save the details")
	tab.WaitText("check digits are wrong")
	tab.Fill("Country", "FR")
	tab.Fill("VAT number", "")
	tab.Submit("Save the details")
	tab.WaitText("Billing details saved.")
	tab.Fill("Card token from the payment gateway", "tok_test_visa")
	tab.Submit("Save the card")
	tab.WaitText("Card saved.", "Card ending in 4242")
	tab.Select("Plan", "Starter")
	tab.Fill("Seats", "2")
	tab.Submit("Subscribe")
	tab.WaitText("Subscription saved.", "Active", "GC-FR-")
	tab.Fill("Seats", "1")
	tab.Submit("Subscribe")
	tab.WaitText("Subscription saved.", "Scheduled change", "seats: 1", "Cancel the scheduled change")
	tab.Screenshot("billing-overview-en")
	tab.Follow("GC-FR-000001")
	tab.WaitText("Invoice GC-FR-000001", "VAT 20%", "Download the PDF")
	tab.Screenshot("billing-invoice-en")
}

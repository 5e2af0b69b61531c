package report

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"intakekiosk/consent"
	"intakekiosk/screening"
)

// accountingMade is when the accounting is made: three years after its
// period starts.
var accountingMade = time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC)

// disclosed is a disclosure recorded at at.
func disclosed(at time.Time, to consent.To, what, by string, basis consent.Basis, c *consent.Signed, reason string) consent.Disclosed {
	d := consent.Disclosed{At: at, Disclosure: consent.Disclosure{To: to, What: what, By: by, Basis: basis, Reason: reason}}
	if c != nil {
		d.Hash, d.Version = c.Hash, c.Version
	}
	return d
}

// accountingInput is the made-up patient's accounting over the three
// years before accountingMade.
func accountingInput(hs ...consent.History) AccountingInput {
	return AccountingInput{
		Clinic:    "Clínica Esperanza — Riverside",
		Identity:  screening.Identity{First: "José", Last: "Núñez", Birth: "1988-04-12"},
		Histories: hs,
		From:      accountingMade.AddDate(-3, 0, 0),
		To:        accountingMade,
		Generated: accountingMade,
		Location:  zone,
	}
}

// renderAccounting draws an accounting and fails the test on error.
func renderAccounting(tb testing.TB, in AccountingInput) []byte {
	tb.Helper()
	pdf, err := Disclosures(in)
	if err != nil {
		tb.Fatalf("Disclosures: %v", err)
	}
	return pdf
}

// fiftyDisclosures is a history of one consent and n disclosures under
// it, a day apart, to the clinic's recipients and a named doctor in
// turn.
func fiftyDisclosures(tb testing.TB, n int) consent.History {
	c := signedBy(builtinForm(tb, "en"), true, "Dr. Alice Park")
	h := consent.History{Consent: c, SignedAt: signedAt}
	tos := []consent.To{{Kind: consent.Clinic, ID: "ehr"}, {Kind: consent.Clinic, ID: "billing"},
		{Kind: consent.Named, Name: "Dr. Alice Park"}}
	for i := range n {
		at := signedAt.Add(time.Duration(i+1)*24*time.Hour + time.Duration(i)*time.Minute)
		h.Disclosures = append(h.Disclosures, disclosed(at, tos[i%len(tos)],
			fmt.Sprintf("Screening summary PDF, disclosure %02d of the visit of Mar 2, 2026", i+1), "Sam Lee", consent.ByConsent, c, ""))
	}
	return h
}

func TestDisclosuresText(t *testing.T) {
	en := builtinForm(t, "en")
	c := signedBy(en, true, "Dr. Alice Park")
	h := consent.History{Consent: c, SignedAt: signedAt, Disclosures: []consent.Disclosed{
		disclosed(signedAt.Add(2*time.Hour), consent.To{Kind: consent.Clinic, ID: "billing"}, "Claim for the visit of Mar 2, 2026", "Sam Lee", consent.ByConsent, c, ""),
		disclosed(signedAt.Add(30*24*time.Hour), consent.To{Kind: consent.Other, Name: "Riverside General ER"}, "Screening summary PDF", "Ana Ruiz", consent.Emergency, nil, "patient unresponsive, ER asked for substances used"),
		disclosed(signedAt.Add(3*time.Hour), consent.To{Kind: consent.Patient}, "Signed consent PDF", "Sam Lee", consent.Access, nil, ""),
		disclosed(accountingMade.AddDate(-4, 0, 0), consent.To{Kind: consent.Named, Name: "Dr. Alice Park"}, "Too old to list", "Sam Lee", consent.ByConsent, c, ""),
	}}
	// a later session's disclosure made under the consent of the first
	later := consent.History{Disclosures: []consent.Disclosed{
		disclosed(signedAt.Add(40*24*time.Hour), consent.To{Kind: consent.Named, Name: "Dr. Alice Park"}, "Check-in report PDF", "Sam Lee", consent.ByConsent, c, ""),
	}}
	short := c.Hash[:12]
	for _, tc := range []struct {
		name  string
		in    AccountingInput
		order []string // in this order, newest first
		not   []string
	}{
		{"none", accountingInput(consent.History{Consent: c, SignedAt: signedAt}),
			[]string{"Disclosures", "No disclosures in this period.", "The patient's own copies (their access, not disclosures)", "None in this period."},
			[]string{"Date and time", "newest first ("}},
		{"mixed", accountingInput(h, later),
			[]string{"Disclosures, newest first (3)", "Date and time Recipient What was disclosed By Basis",
				"Apr 11, 2026 9:12 AM CST", "Dr. Alice Park", "Check-in report PDF", "Under the consent of Mar 2, 2026, version 1, sha256:" + short,
				"Apr 1, 2026 9:12 AM CST", "Riverside General ER", "Medical emergency (§2.51): patient unresponsive",
				"Mar 2, 2026 11:12 AM CST", "Our billing service", "Claim for the visit", "Under the consent of Mar 2, 2026, version 1, sha256:" + short,
				"The patient's own copies (their access, not disclosures)", "Mar 2, 2026, 12:12 PM CST: Signed consent PDF, given by Sam Lee"},
			[]string{"Too old to list", "No disclosures in this period."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf := renderAccounting(t, tc.in)
			pages := pdfPages(t, pdf)
			body := flat(strings.Join(pages, "\n"))
			// the table's cells wrap in their columns, so -raw reads a row in
			// reading order, a cell whole
			raw := flat(pdfText(t, pdf, "-raw"))
			head := []string{"Clínica Esperanza — Riverside", "Accounting of disclosures", "José Núñez", "Born Apr 12, 1988",
				"Period Dec 4, 2023 to Dec 4, 2026", "Generated Dec 4, 2026, 11:00 AM CST", "Counselors' notes are never disclosed"}
			for _, s := range head {
				if !strings.Contains(body, s) {
					t.Errorf("the accounting lacks %q:\n%s", s, body)
				}
			}
			at := 0
			for _, s := range tc.order {
				i := strings.Index(raw[at:], s)
				if i < 0 {
					t.Errorf("the accounting lacks %q after %q:\n%s", s, raw[:at], raw)
					continue
				}
				at += i + len(s)
			}
			for _, s := range tc.not {
				if strings.Contains(raw, s) {
					t.Errorf("the accounting shows %q", s)
				}
			}
			if again := renderAccounting(t, tc.in); string(again) != string(pdf) {
				t.Error("two renderings of the same accounting differ")
			}
		})
	}
}

// TestDisclosures50 lists 50 disclosures over several pages: each row
// once, newest first; the table's heading on each page it flows over; the
// Part 2 notice, the clinic and "Page N of M" at the foot of every page,
// and the patient's name at the head of each after the first.
func TestDisclosures50(t *testing.T) {
	pdf := renderAccounting(t, accountingInput(fiftyDisclosures(t, 50)))
	pages := pdfPages(t, pdf)
	if len(pages) < 3 {
		t.Fatalf("%d pages for 50 disclosures; want 3 or more", len(pages))
	}
	t.Logf("50 disclosures: %d pages, %d bytes", len(pages), len(pdf))
	raw := flat(pdfText(t, pdf, "-raw"))
	at := 0
	for i := 50; i >= 1; i-- {
		s := fmt.Sprintf("disclosure %02d of the visit", i)
		if n := strings.Count(raw, s); n != 1 {
			t.Errorf("%q is listed %d times", s, n)
		}
		j := strings.Index(raw[at:], s)
		if j < 0 {
			t.Errorf("%q is not after disclosure %02d (newest first)", s, i+1)
			continue
		}
		at += j
	}
	for i, p := range pages {
		n := strconv.Itoa(i + 1)
		fp := flat(p)
		for _, s := range []string{"Date and time", "Recipient", "What was disclosed", "Basis", flat(Notice),
			"Clínica Esperanza — Riverside", "Page " + n + " of " + strconv.Itoa(len(pages))} {
			if !strings.Contains(fp, s) {
				t.Errorf("page %s lacks %q", n, s)
			}
		}
		if i > 0 && !strings.HasPrefix(strings.TrimSpace(p), "José Núñez") {
			t.Errorf("page %s does not start with the patient's name:\n%s", n, p)
		}
		if i > 0 && !strings.Contains(fp, "Disclosures, newest first (continued)") {
			t.Errorf("page %s does not say the table continues", n)
		}
	}
}

func TestDisclosuresErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*AccountingInput)
	}{
		{"no generation time", func(in *AccountingInput) { in.Generated = time.Time{} }},
		{"no start", func(in *AccountingInput) { in.From = time.Time{} }},
		{"ends before it starts", func(in *AccountingInput) { in.From, in.To = in.To, in.From }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := accountingInput()
			tc.edit(&in)
			if pdf, err := Disclosures(in); err == nil || pdf != nil {
				t.Fatalf("drawn (%d bytes, %v)", len(pdf), err)
			}
		})
	}
	// To zero is the time it is made
	in := accountingInput()
	in.To = time.Time{}
	if text := flat(pdfText(t, renderAccounting(t, in), "-layout")); !strings.Contains(text, "Dec 4, 2023 to Dec 4, 2026") {
		t.Errorf("the period without an end reads %q", text)
	}
}

func BenchmarkDisclosures50(b *testing.B) {
	in := accountingInput(fiftyDisclosures(b, 50))
	var size int
	for b.Loop() {
		pdf, err := Disclosures(in)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

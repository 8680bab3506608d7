package admin

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/mail"
)

// mailRow is one message of the dev mailbox, with the links of its text made clickable.
type mailRow struct {
	mail.Message
	Links  []mailLink
	Queued bool // still in the queue: not sent yet
}

// mailLink is a link of a message, once, with what it does: an unsubscribe link must not look
// like "open the link" (a developer clicking through an invitation unsubscribed instead).
type mailLink struct {
	URL   string
	Key   string // message key of its label
	Where string // its path, for the other links
}

var linkRe = regexp.MustCompile(`https?://[^\s<>"]+`)

// linksOf are the distinct links of a text, labelled.
func linksOf(text string) []mailLink {
	var out []mailLink
	seen := map[string]bool{}
	for _, l := range linkRe.FindAllString(text, -1) {
		if seen[l] {
			continue
		}
		seen[l] = true
		link := mailLink{URL: l, Key: "admin.mailbox.open_link"}
		if u, err := url.Parse(l); err == nil {
			link.Where = u.Path
			if len(link.Where) > 40 {
				link.Where = link.Where[:40] + "…"
			}
			if strings.HasPrefix(u.Path, "/unsubscribe/") {
				link.Key, link.Where = "admin.mailbox.unsubscribe_link", ""
			}
		}
		out = append(out, link)
	}
	return out
}

// devMailbox lists what the server "sent" (invitations, password resets), newest first. It is
// registered only on a development server without SMTP (see Register). The mailbox is shared
// by every account of the server, so the page shows only the messages addressed to people of
// the viewer's account.
func (h *handlers) devMailbox(c *fiber.Ctx) error {
	people, err := h.everyone(c)
	if err != nil {
		return err
	}
	ours := make(map[string]bool, len(people))
	for _, m := range people {
		ours[strings.ToLower(m.Email)] = true
	}
	var rows []mailRow
	for _, m := range h.mailbox.Messages() {
		if ours[strings.ToLower(m.To)] {
			rows = append(rows, mailRow{Message: m, Links: linksOf(m.Text)})
		}
	}
	// Mail still queued (core/notify renders it as it will be sent) shows too, marked.
	if h.mailbox.Queued != nil {
		queued, err := h.mailbox.Queued(c.UserContext())
		if err != nil {
			return err
		}
		for _, m := range queued {
			if ours[strings.ToLower(m.To)] {
				rows = append(rows, mailRow{Message: m, Links: linksOf(m.Text), Queued: true})
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b mailRow) int { return b.QueuedAt.Compare(a.QueuedAt) }) // newest first
	p := h.page(c, "admin.mailbox.title", nil)
	p.Data = rows
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.web.Render(c, "admin/mailbox", p)
}

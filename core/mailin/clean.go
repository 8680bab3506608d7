package mailin

import (
	"net/mail"
	"regexp"
	"strings"
)

// quoteHeader is the line a mail client writes above the quoted message, in the languages
// of GroupCamp ("On Mon, ... Ann wrote:", "Le lun. ... a écrit :", "... написал:") and
// Outlook's separator.
var quoteHeader = regexp.MustCompile(`(?i)^(on .+ wrote:|le .+ a écrit ?:|.+ (написал|написала)\(?а?\)?:|-{2,}\s*original message\s*-{2,}|_{5,}|from: .+)$`)

// Clean keeps what the person wrote on top of a reply: it stops at the quoted message (its
// header line or its first "> " line) and at the signature ("-- " on its own line, the
// usual "Sent from my ..."), and trims blank lines around.
func Clean(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, line := range strings.Split(text, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, ">") || quoteHeader.MatchString(t) || line == "-- " || t == "--" || strings.HasPrefix(t, "Sent from my ") || strings.HasPrefix(t, "Envoyé de mon ") {
			break
		}
		out = append(out, strings.TrimRight(line, " \t"))
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// Automatic tells a message no person wrote, which must never become a comment (nor be
// answered — two robots answering each other is a loop): a bounce (empty return path), an
// auto-reply (Auto-Submitted other than "no", RFC 3834; X-Autoreply, X-Autorespond),
// a list or bulk message (Precedence bulk, junk, list; List-Id), or one of our own coming
// back (X-GroupCamp-Loop).
func Automatic(from string, h mail.Header) bool { return AutomaticReason(from, h) != "" }

// AutomaticReason is why Automatic says a message is a robot's (a Reason), "" for a person's.
func AutomaticReason(from string, h mail.Header) string {
	if strings.Trim(from, "<> ") == "" {
		return ReasonBounce
	}
	if h.Get(LoopHeader) != "" {
		return ReasonLoop
	}
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return ReasonAutoReply
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "auto_reply":
		return ReasonAutoReply
	case "bulk", "junk", "list":
		return ReasonList
	}
	if h.Get("X-Autoreply") != "" || h.Get("X-Autorespond") != "" {
		return ReasonAutoReply
	}
	if h.Get("List-Id") != "" {
		return ReasonList
	}
	return ""
}

// LoopHeader marks the emails GroupCamp sends, so that one coming back is recognised.
const LoopHeader = "X-GroupCamp-Loop"

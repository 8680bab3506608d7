package mailin

import (
	"regexp"
	"strings"
)

// A forwarded email is content to keep, not a reply: people forward a customer's request or
// a supplier's quote to a project's address to save it there. Mail clients forward in one
// of two ways — inline, the original's headers and text below a marker line in the body, or
// attached, the original as a message/rfc822 part — and mark the subject ("Fwd:", "Fw:",
// French "TR:", German "WG:", Russian "Пересл:"). Forwarded finds the original in both.

// Forwarded is the original of a forwarded email: who wrote it, when, about what, its text.
type Forwarded struct {
	From    string // as written ("Ann Smith <ann@example.com>"); "" when the forward does not say
	Date    string // as written: clients write it in their user's language (ParseDate reads it)
	Subject string
	Text    string
}

// forwardSubject is a forward's subject prefix (possibly after "Re:"s and repeated).
var forwardSubject = regexp.MustCompile(`(?i)^\s*(?:(?:re|aw|ha)\s*:\s*)*(?:fwd?|tr|wg|rv|enc|пересл|fw)\s*(?:\[\d+\])?\s*:\s*`)

// forwardMarker is the line a client writes above an inline forward: Gmail's, Thunderbird's,
// Apple Mail's and Outlook's, in English, French, German and Russian. Outlook writes the same
// "Original Message" line above a reply's quote as above a forward (originalMarker).
var forwardMarker = regexp.MustCompile(`(?i)^\s*(?:-{2,}\s*(?:forwarded message|original message|message transféré|message d'origine|weitergeleitete nachricht|ursprüngliche nachricht|пересылаемое сообщение|исходное сообщение)\s*-{2,}|begin forwarded message\s*:|début du message réexpédié\s*:|anfang der weitergeleiteten nachricht\s*:)\s*$`)

// originalMarker is the marker lines that do not say "forwarded": Outlook's "-----Original
// Message-----" (and its translations), above a reply's quote as well as a forward.
var originalMarker = regexp.MustCompile(`(?i)original message|message d'origine|ursprüngliche nachricht|исходное сообщение`)

// replySubject is a reply's subject prefix ("Re:", German "AW:", Outlook's French "RE :").
var replySubject = regexp.MustCompile(`(?i)^\s*(?:re|aw|ha|отв|ответ)\s*(?:\[\d+\])?\s*:`)

// forwardHeader is one header line of the original below the marker ("From: ...",
// "*De :* ...", "От: ...").
var forwardHeader = regexp.MustCompile(`(?i)^\s*\**\s*(from|de|von|от|date|sent|envoyé|gesendet|datum|дата|отправлено|subject|objet|betreff|тема|to|à|an|кому|cc|копия|reply-to)\s*:\s*\**\s*(.*)$`)

// StripForward removes a forward's subject prefix ("Fwd: Quote" → "Quote"); ok is false when
// the subject has none.
func StripForward(subject string) (string, bool) {
	loc := forwardSubject.FindStringIndex(subject)
	if loc == nil {
		return subject, false
	}
	return strings.TrimSpace(subject[loc[1]:]), true
}

// forwardOf finds the forwarded original in a message's subject and text (inline forward),
// or takes the attached one (attached, from a message/rfc822 part); note is what the
// forwarder wrote above it. nil when the message forwards nothing — and for a reply (reply:
// the message has an In-Reply-To or References header, or a "Re:" subject) whose quote is
// under Outlook's "Original Message" line rather than a forward's marker or subject.
func forwardOf(subject, text string, attached *Forwarded, reply bool) (fwd *Forwarded, note string) {
	stripped, marked := StripForward(subject)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if attached != nil {
		if attached.Subject == "" {
			attached.Subject = stripped
		}
		return attached, strings.TrimSpace(text)
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if !forwardMarker.MatchString(strings.TrimLeft(l, "> ")) {
			continue
		}
		if !marked && originalMarker.MatchString(l) && (reply || replySubject.MatchString(subject)) {
			return nil, "" // Outlook's reply: its quote is no forwarded email
		}
		f := &Forwarded{Subject: stripped}
		j := i + 1
		for ; j < len(lines) && strings.TrimSpace(lines[j]) == ""; j++ {
		}
		for ; j < len(lines); j++ {
			m := forwardHeader.FindStringSubmatch(strings.TrimRight(lines[j], " \t"))
			if m == nil {
				break
			}
			v := strings.TrimSpace(strings.TrimRight(m[2], "*"))
			switch strings.ToLower(m[1]) {
			case "from", "de", "von", "от":
				f.From = v
			case "date", "sent", "envoyé", "gesendet", "datum", "дата", "отправлено":
				f.Date = v
			case "subject", "objet", "betreff", "тема":
				if v != "" {
					f.Subject = v
				}
			}
		}
		f.Text = unquote(strings.TrimSpace(strings.Join(lines[j:], "\n")))
		return f, strings.TrimSpace(strings.Join(lines[:i], "\n"))
	}
	if !marked {
		return nil, ""
	}
	// A "Fwd:" subject but no marker (a client that forwards the text as it is): the whole
	// text is the original's, nothing more is known of it.
	return &Forwarded{Subject: stripped, Text: unquote(strings.TrimSpace(text))}, ""
}

// unquote removes one level of "> " when every non-blank line has it (clients that forward
// as a quote).
func unquote(text string) string {
	lines := strings.Split(text, "\n")
	for _, l := range lines {
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, ">") {
			return text
		}
	}
	for i, l := range lines {
		l = strings.TrimPrefix(l, ">")
		lines[i] = strings.TrimPrefix(l, " ")
	}
	return strings.Join(lines, "\n")
}

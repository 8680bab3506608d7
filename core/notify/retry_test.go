package notify_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"sync/atomic"
	"testing"

	"groupcamp/core/mail"
	"groupcamp/core/testkit"
)

// TestRetriedSendKeepsMessageID: a message the mail server took but whose answer the sender
// never got (a worker crash between sending and recording) is sent again by the retry — email is
// at least once — with the same Message-ID, derived from the queued email's id, so that
// receiving servers and clients drop the duplicate. Another email has another Message-ID.
func TestRetriedSendKeepsMessageID(t *testing.T) {
	t.Parallel()
	withSMTP(t, func(t *testing.T, e *testkit.Env, srv *testkit.SMTPServer) {
		acc := e.NewAccount()
		var lost atomic.Bool
		srv.SetLoseReply(func(to []string) error {
			if slices.Contains(to, "twice@example.test") && lost.CompareAndSwap(false, true) {
				return errors.New("connection lost after the message")
			}
			return nil
		})
		invite(t, e, acc.Owner, acc.Slug, "Twice", "twice@example.test")
		msgs := srv.Wait(t, "twice@example.test", 2)
		first, second := msgs[0].Header.Get("Message-ID"), msgs[1].Header.Get("Message-ID")
		if !regexp.MustCompile(`^<groupcamp\.[1-9][0-9]*\.[0-9a-f]{20}@[^<>@\s]+>$`).MatchString(first) {
			t.Fatalf("Message-ID %q", first)
		}
		if first != second {
			t.Fatalf("the retry has Message-ID %q, the first attempt %q", second, first)
		}
		waitDeliveries(t, e, userIDOf(t, e, "twice@example.test"), mail.KindInvitation, "sent", 1)
		if queued, _ := e.App.Notify.Queued(context.Background()); len(queued) != 0 {
			t.Errorf("still queued after sending: %+v", queued)
		}

		invite(t, e, acc.Owner, acc.Slug, "Once", "once@example.test")
		if other := srv.Wait(t, "once@example.test", 1)[0].Header.Get("Message-ID"); other == first || other == "" {
			t.Errorf("another email has Message-ID %q (the first %q)", other, first)
		}
	})
}

// Command webhookforwarder is an example GroupCamp plugin: an event listener that POSTs each
// domain event of the account, as signed JSON, to the URL the account's admin set in the
// plugin's settings ({"url": "...", "secret": "..."}). The header X-GroupCamp-Signature is
// "t=UNIX,v1=HEX", HEX being HMAC-SHA256(secret, "UNIX.body"). A failed POST is tried again
// with back-off within the call; past that the call fails and the host delivers the event
// again later (the event id lets the receiver drop a duplicate). A scheduled job ("ping",
// daily) posts {"type": "plugin.ping"} so the receiver knows the link is alive.
package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"groupcamp/plugins/sdk"
)

func main() { sdk.Serve(New(http.DefaultClient)) }

// settings are the account's settings of the plugin.
type settings struct {
	URL    string `json:"url"`
	Secret string `json:"secret"`
	// Retries within one delivery (absent: 2); Format "compact" leaves the event's data out;
	// Active false pauses the forwarding (absent: on).
	Retries *int   `json:"retries"`
	Format  string `json:"format"`
	Active  *bool  `json:"active"`
}

// body is what the receiver gets.
type body struct {
	ID        int64           `json:"id"`
	Type      string          `json:"type"`
	Account   string          `json:"account"`
	CreatedAt time.Time       `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

// backoff is the wait before each retry within one call.
var backoff = []time.Duration{100 * time.Millisecond, 500 * time.Millisecond}

// New is the plugin, posting with client.
func New(client *http.Client) *sdk.Plugin {
	forward := func(ctx context.Context, call sdk.Call, msg body) error {
		var s settings
		if len(call.Settings) > 0 {
			if err := json.Unmarshal(call.Settings, &s); err != nil {
				return fmt.Errorf("settings: %w", err)
			}
		}
		if s.URL == "" || (s.Active != nil && !*s.Active) {
			return nil // not configured for this account, or paused: nothing to forward
		}
		if s.Format == "compact" {
			msg.Data = nil
		}
		retries := len(backoff)
		if s.Retries != nil {
			retries = min(max(*s.Retries, 0), len(backoff))
		}
		b, err := json.Marshal(msg)
		if err != nil {
			return err
		}
		for attempt := 0; ; attempt++ {
			err = post(ctx, client, s, b)
			if err == nil || attempt == retries {
				return err
			}
			select {
			case <-ctx.Done():
				return errors.Join(err, ctx.Err())
			case <-time.After(backoff[attempt]):
			}
		}
	}
	return &sdk.Plugin{Name: "webhook-forwarder", Version: "1.0.0",
		Event: func(ctx context.Context, call sdk.Call, ev sdk.Event, _ sdk.Host) error {
			return forward(ctx, call, body{ID: ev.ID, Type: ev.Type, Account: call.AccountSlug, CreatedAt: ev.CreatedAt, Data: ev.Payload})
		},
		Job: func(ctx context.Context, call sdk.Call, job string, due time.Time, _ sdk.Host) error {
			if job != "ping" {
				return fmt.Errorf("no job %q", job)
			}
			return forward(ctx, call, body{Type: "plugin.ping", Account: call.AccountSlug, CreatedAt: due, Data: json.RawMessage("{}")})
		}}
}

// Sign is the signature header's value for body at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

func post(ctx context.Context, client *http.Client, s settings, b []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GroupCamp-Signature", Sign(s.Secret, time.Now(), b))
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<10))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("the receiver answered %s", res.Status)
	}
	return nil
}

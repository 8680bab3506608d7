package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"groupcamp/plugins/sdk"
	"groupcamp/plugins/sdk/sdktest"
)

func TestForwardsSignedAndRetries(t *testing.T) {
	var calls atomic.Int32
	got := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusBadGateway) // the first attempt fails: the plugin retries
			return
		}
		b, _ := io.ReadAll(r.Body)
		sig := r.Header.Get("X-GroupCamp-Signature")
		ts := strings.TrimPrefix(strings.Split(sig, ",")[0], "t=")
		if want := Sign("s3cret", unix(ts), b); sig != want {
			t.Errorf("signature %q, want %q", sig, want)
		}
		got <- b
	}))
	defer srv.Close()
	h := sdktest.New(t, New(srv.Client()))
	call := sdktest.Call(1, "acme")
	call.Settings = sdktest.Settings(map[string]string{"url": srv.URL, "secret": "s3cret"})
	if err := h.Event(call, sdk.Event{ID: 42, Type: "projects.task.created", Payload: json.RawMessage(`{"id":5}`), CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	var b body
	if err := json.Unmarshal(<-got, &b); err != nil || b.ID != 42 || b.Account != "acme" || string(b.Data) != `{"id":5}` {
		t.Fatalf("body %+v (%v)", b, err)
	}
}

func unix(s string) time.Time {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return time.Unix(n, 0)
}

func TestPingJob(t *testing.T) {
	got := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- b
	}))
	defer srv.Close()
	h := sdktest.New(t, New(srv.Client()))
	call := sdktest.Call(1, "acme")
	call.Settings = sdktest.Settings(map[string]string{"url": srv.URL, "secret": "s3cret"})
	if err := h.Job(call, "ping", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !strings.Contains(string(b), `"type":"plugin.ping"`) {
		t.Fatalf("posted %s", b)
	}
	if err := h.Job(call, "nope", time.Now()); err == nil {
		t.Fatal("an unknown job ran")
	}
}

package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// maxSamples is how many error bodies each scenario keeps for the report.
const maxSamples = 3

// Worker is one of the concurrent clients of a run, and the state a scenario gets: it issues
// requests one after another, so a scenario may keep per-worker state in Data without locks.
type Worker struct {
	ID   int        // 0..concurrency-1
	Rand *rand.Rand // the worker's own random source
	Env  *Env       // the seeded account (shared, read-only during the run)
	// Data is the worker's scratch space for scenarios (ids it created, cursors), keyed by a
	// name the scenario chooses.
	Data map[string]any

	client *http.Client
	tokens map[string]string // role -> the token this worker uses for it
	token  string            // the current scenario's
	stats  []scenarioStats   // by mix index
	cur    *scenarioStats
	failed bool // the current call already counted an error
	body   bytes.Buffer
	resp   Response
	seq    int
}

// Response is an answer read in full. Its Body is the worker's buffer: valid until the
// worker's next request.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r *Response) JSON(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("decode %d answer: %w: %.200s", r.Status, err, r.Body)
	}
	return nil
}

// StatusError is a non-2xx answer.
type StatusError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, e.Body)
}

// Unique returns a name no other request of any run will use (team names must be unique in an
// account): prefix, the run id, the worker and a counter.
func (w *Worker) Unique(prefix string) string {
	w.seq++
	return prefix + " " + w.Env.RunID + "-" + strconv.Itoa(w.ID) + "-" + strconv.Itoa(w.seq)
}

// Get issues GET path (relative to the server, e.g. "/api/v1/me").
func (w *Worker) Get(ctx context.Context, path string) (*Response, error) {
	return w.Do(ctx, http.MethodGet, path, nil)
}

// Post sends body as JSON.
func (w *Worker) Post(ctx context.Context, path string, body any) (*Response, error) {
	return w.Do(ctx, http.MethodPost, path, body)
}

// Patch sends body as JSON.
func (w *Worker) Patch(ctx context.Context, path string, body any) (*Response, error) {
	return w.Do(ctx, http.MethodPatch, path, body)
}

// Put sends body as JSON (nil: no body).
func (w *Worker) Put(ctx context.Context, path string, body any) (*Response, error) {
	return w.Do(ctx, http.MethodPut, path, body)
}

// Delete issues DELETE path.
func (w *Worker) Delete(ctx context.Context, path string) (*Response, error) {
	return w.Do(ctx, http.MethodDelete, path, nil)
}

// Do issues one request with the scenario's token, times it from sending to the last byte of
// the answer, and records it under the current scenario. body is marshalled to JSON ([]byte
// is sent as is) before the clock starts. A transport error or a non-2xx answer is recorded
// as an error and returned (a *StatusError for the latter).
func (w *Worker) Do(ctx context.Context, method, path string, body any) (*Response, error) {
	return w.DoWith(ctx, method, path, nil, body)
}

// DoWith is Do with headers of the request's own (a protocol that signs its requests: the
// GroupCamp-compatible API); an Authorization among them replaces the scenario's token.
func (w *Worker) DoWith(ctx context.Context, method, path string, h http.Header, body any) (*Response, error) {
	var rd io.Reader
	if body != nil {
		b, ok := body.([]byte)
		if !ok {
			var err error
			if b, err = json.Marshal(body); err != nil {
				return nil, err
			}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, w.Env.BaseURL+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if w.token != "" {
		req.Header.Set("Authorization", "Bearer "+w.token)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	start := time.Now()
	resp, err := w.client.Do(req)
	if err == nil {
		w.body.Reset()
		_, err = w.body.ReadFrom(resp.Body)
		resp.Body.Close()
	}
	elapsed := time.Since(start)
	if w.cur != nil {
		w.cur.hist.Record(elapsed)
	}
	if err != nil {
		w.fail("transport", method+" "+path+": "+err.Error())
		return nil, err
	}
	w.resp = Response{Status: resp.StatusCode, Header: resp.Header, Body: w.body.Bytes()}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		se := &StatusError{Method: method, Path: path, Status: resp.StatusCode, Body: clip(string(w.resp.Body), 300)}
		w.fail(strconv.Itoa(resp.StatusCode), se.Error())
		return &w.resp, se
	}
	return &w.resp, nil
}

// fail counts one error of the current scenario under kind (a status code, "transport" or
// "check") and keeps the first few messages.
func (w *Worker) fail(kind, msg string) {
	w.failed = true
	s := w.cur
	if s == nil {
		return
	}
	s.errors++
	if s.byKind == nil {
		s.byKind = map[string]uint64{}
	}
	s.byKind[kind]++
	if len(s.samples) < maxSamples {
		s.samples = append(s.samples, msg)
	}
}

// scenarioStats is what one worker observed of one scenario.
type scenarioStats struct {
	hist    Histogram
	calls   uint64
	errors  uint64
	byKind  map[string]uint64
	samples []string
}

func (s *scenarioStats) merge(o *scenarioStats) {
	s.hist.Merge(&o.hist)
	s.calls += o.calls
	s.errors += o.errors
	for k, v := range o.byKind {
		if s.byKind == nil {
			s.byKind = map[string]uint64{}
		}
		s.byKind[k] += v
	}
	for _, m := range o.samples {
		if len(s.samples) < maxSamples {
			s.samples = append(s.samples, m)
		}
	}
}

// newClient returns the one HTTP client every worker shares: keep-alive with an idle
// connection per worker and to spare, so no request pays a TCP handshake after the first;
// no compression, which would spend the shared CPU on both sides.
func newClient(concurrency int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil, // loopback: never through a proxy from the environment
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        2*concurrency + 16,
			MaxIdleConnsPerHost: 2*concurrency + 16,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
			ForceAttemptHTTP2:   false,
		},
	}
}

// driveConfig is one measured run of the mix.
type driveConfig struct {
	env         *Env
	client      *http.Client
	mix         []mixEntry
	concurrency int
	warmup      time.Duration
	duration    time.Duration
	seed        uint64
	// measure, when set, is called as the measured time starts (after the warm-up), and the
	// function it returns as it ends.
	measure func() func()
}

// driveResult is the merged observation of every worker.
type driveResult struct {
	stats   []scenarioStats // by mix index
	elapsed time.Duration   // of the measured phase
}

// drive runs cfg.concurrency workers, each drawing scenarios from the mix and issuing them
// back to back: first for the warm-up, whose observations are dropped, then for the
// measured duration. A request in flight when time is up finishes and counts; the measured
// time runs until the last one has. Cancelling ctx ends the run early (what was measured is
// kept); requests themselves are never cancelled, so a stop does not show up as errors.
func drive(ctx context.Context, cfg driveConfig) driveResult {
	pick := newPicker(cfg.mix)
	start := time.Now()
	measureFrom := start.Add(cfg.warmup)
	end := measureFrom.Add(cfg.duration)
	reqCtx := context.WithoutCancel(ctx)
	workers := make([]*Worker, cfg.concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		w := &Worker{
			ID:     i,
			Rand:   rand.New(rand.NewPCG(cfg.seed, uint64(i))),
			Env:    cfg.env,
			Data:   map[string]any{},
			client: cfg.client,
			tokens: cfg.env.workerTokens(i),
			stats:  make([]scenarioStats, len(cfg.mix)),
		}
		workers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			measuring := cfg.warmup <= 0
			for ctx.Err() == nil {
				now := time.Now()
				if now.After(end) {
					return
				}
				if !measuring && !now.Before(measureFrom) {
					w.stats = make([]scenarioStats, len(cfg.mix))
					measuring = true
				}
				i := pick.pick(w.Rand.IntN(pick.total))
				sc := &cfg.mix[i]
				w.cur, w.failed = &w.stats[i], false
				w.token = w.tokens[sc.Role]
				w.cur.calls++
				if err := sc.Run(reqCtx, w); err != nil && !w.failed {
					w.fail("check", sc.Name+": "+err.Error())
				}
				w.cur = nil
			}
		}()
	}
	var endMeasure func()
	if cfg.measure != nil {
		select {
		case <-time.After(time.Until(measureFrom)):
			endMeasure = cfg.measure()
		case <-ctx.Done():
		}
	}
	wg.Wait()
	if endMeasure != nil {
		endMeasure()
	}
	elapsed := time.Since(measureFrom)
	if elapsed <= 0 {
		elapsed = time.Since(start)
	}
	res := driveResult{stats: make([]scenarioStats, len(cfg.mix)), elapsed: elapsed}
	for _, w := range workers {
		for i := range w.stats {
			res.stats[i].merge(&w.stats[i])
		}
	}
	return res
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

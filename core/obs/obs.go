// Package obs is the operations side of a request: request ids, structured JSON logs,
// Prometheus metrics by route pattern, and panic recovery that turns into a logged 500.
package obs

import (
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// NewLogger returns a JSON logger at level ("debug", "info", "warn", "error").
func NewLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// Metrics holds the request collectors of one App (one registry per App, so that tests can
// boot many Apps in one process).
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics creates the registry with Go and process collectors and the request metrics.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "groupcamp_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "groupcamp_http_request_duration_seconds", Help: "HTTP request duration by route pattern and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// RequestID gives every request an id (kept from X-Request-ID when the client sent one).
func RequestID() fiber.Handler {
	return requestid.New(requestid.Config{Header: fiber.HeaderXRequestID, ContextKey: "requestid"})
}

// Observe records metrics and one log line per request. errHandler renders the error first so
// the status recorded is the one the client gets.
func Observe(m *Metrics, log *slog.Logger, errHandler fiber.ErrorHandler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		if err != nil {
			if herr := errHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		route := c.Route().Path
		if c.Response().StatusCode() == fiber.StatusNotFound && route == "/" {
			route = "unmatched"
		}
		status := c.Response().StatusCode()
		elapsed := time.Since(start)
		m.requests.WithLabelValues(route, c.Method(), strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(route, c.Method()).Observe(elapsed.Seconds())
		if log.Enabled(c.UserContext(), slog.LevelInfo) {
			log.Info("request", "request_id", c.Locals("requestid"), "method", c.Method(), "route", route,
				"status", status, "duration_ms", float64(elapsed.Microseconds())/1000, "ip", ClientIP(c))
		}
		return nil
	}
}

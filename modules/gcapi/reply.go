package gcapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// The answers of the compatible API: {"result": ...} on success (GroupCamp's scripts read
// data['result']), and on any other status a JSON object with "error" (GroupCamp's name:
// unauthorized, bad_request, forbidden, not_found, gone, too_many_requests, internal_error),
// "detail" (the documentation's "optional" column: error_id, error_json, error_body_data,
// get_parameter_error, access_forbidden...) when there is one, and "errors" ([{field,
// error}]) for a bad_request about fields.

// fieldError is one field's problem, as GroupCamp's scripts test it (field name, error code).
type fieldError struct {
	Field string `json:"field"`
	Error string `json:"error"`
	// Message is our explanation in English, for people reading the answer.
	Message string `json:"message,omitempty"`
}

type errorBody struct {
	Error  string       `json:"error"`
	Detail string       `json:"detail,omitempty"`
	Errors []fieldError `json:"errors,omitempty"`
}

func writeError(c *fiber.Ctx, status int, name, detail string, errs []fieldError) error {
	return writeJSON(c, status, errorBody{Error: name, Detail: detail, Errors: errs})
}

func writeJSON(c *fiber.Ctx, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(b)
}

// result writes {"result": v}.
func result(c *fiber.Ctx, v any) error {
	return writeJSON(c, fiber.StatusOK, struct {
		Result any `json:"result"`
	}{v})
}

// okValue is GroupCamp's answer to an action: {"value": "ok"}.
var okValue = struct {
	Value string `json:"value"`
}{"ok"}

// badRequest is a 400 of GroupCamp's kind.
type badRequest struct {
	detail string
	errs   []fieldError
}

func (e *badRequest) Error() string { return "bad_request: " + e.detail }

func badParam(field, code string) error {
	return &badRequest{detail: "get_parameter_error", errs: []fieldError{{Field: field, Error: code}}}
}

func badID(field string) error {
	return &badRequest{detail: "error_id", errs: []fieldError{{Field: field, Error: "invalid"}}}
}

// gone is GroupCamp's 410 (an expired page).
var errGone = errors.New("gone")

// fail writes err as GroupCamp does; fields maps our field names to GroupCamp's.
func fail(c *fiber.Ctx, log *slog.Logger, err error, fields map[string]string) error {
	var br *badRequest
	if errors.As(err, &br) {
		return writeError(c, fiber.StatusBadRequest, "bad_request", br.detail, br.errs)
	}
	if errors.Is(err, errGone) {
		return writeError(c, fiber.StatusGone, "gone", "gone", nil)
	}
	p, ok := problem.As(err)
	if !ok {
		log.Error("gcapi: request failed", "err", err, "path", c.Path())
		return writeError(c, fiber.StatusInternalServerError, "internal_error", "", nil)
	}
	switch {
	case p.Status == fiber.StatusNotFound:
		return writeError(c, fiber.StatusNotFound, "not_found", "", nil)
	case p.Status == fiber.StatusForbidden:
		return writeError(c, fiber.StatusForbidden, "forbidden", "access_forbidden", nil)
	case p.Status == fiber.StatusTooManyRequests:
		return writeError(c, fiber.StatusTooManyRequests, "too_many_requests", "", nil)
	case p.Status == fiber.StatusRequestEntityTooLarge:
		return writeError(c, fiber.StatusBadRequest, "bad_request", "error_body_data", []fieldError{{Field: "body", Error: "too_large"}})
	case p.Status >= 500:
		log.Error("gcapi: request failed", "err", err, "path", c.Path())
		return writeError(c, fiber.StatusInternalServerError, "internal_error", "", nil)
	}
	// 400, 409, 422: the fields' problems, under GroupCamp's names.
	errs := make([]fieldError, 0, len(p.Errors))
	for _, fe := range p.Errors {
		name := fe.Field
		if n, ok := fields[name]; ok {
			name = n
		}
		errs = append(errs, fieldError{Field: name, Error: codeOf(fe.Message), Message: fe.Message})
	}
	if len(errs) == 0 {
		errs = append(errs, fieldError{Field: "body", Error: "invalid", Message: p.Detail})
	}
	return writeError(c, fiber.StatusBadRequest, "bad_request", "error_body_data", errs)
}

// codeOf turns one of our messages into a GroupCamp-like error code.
func codeOf(msg string) string {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "already") || strings.Contains(m, "taken") || strings.Contains(m, "in use") || strings.Contains(m, "exists") ||
		strings.HasPrefix(m, "another "):
		return "already_use"
	case strings.Contains(m, "required") || strings.Contains(m, "must not be empty") || strings.Contains(m, "is missing"):
		return "mandatory"
	case strings.Contains(m, "at most") || strings.Contains(m, "too long"):
		return "too_long"
	case strings.Contains(m, "not found") || strings.Contains(m, "unknown") || strings.Contains(m, "no such"):
		return "not_found"
	}
	return "invalid"
}

// id writes one of our ids as GroupCamp's (a string).
func id(v int64) string { return strconv.FormatInt(v, 10) }

// parseID reads an id of the path or of a parameter ("12").
func parseID(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil && n > 0
}

// pathID is the path parameter name as an id, or a bad_request error_id.
func pathID(c *fiber.Ctx, name string) (int64, error) {
	n, ok := parseID(c.Params(name))
	if !ok {
		return 0, badID(name)
	}
	return n, nil
}

func apiPage(limit int) api.Page { return api.Page{Limit: limit} }

// notFound is GroupCamp's 404.
var notFound = problem.NotFound()

// isNotFound reports whether err is a 404 of ours or of another module.
func isNotFound(err error) bool {
	p, ok := problem.As(err)
	return ok && p.Status == fiber.StatusNotFound
}

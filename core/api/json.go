package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// MaxBody is the largest JSON body any API route accepts (the server refuses larger bodies
// with 413 before a handler runs).
const MaxBody = 1 << 20

// MaxRequest is the largest body the server reads at all: room for a file import (5 MiB and
// its multipart envelope). JSON bodies are still held to MaxBody by Decode. A body refused by
// the server itself can reach the client as a reset connection rather than a clean 413, so
// the server's limit sits above every limit a handler answers with its own 413.
const MaxRequest = 6 << 20

// Decode reads the JSON body strictly into dst: it must be JSON, carry no unknown fields,
// have the right types and hold exactly one value. Errors are 400 problems naming the field.
// Then no string of it may hold a control character (CheckText, text.go): a 422 naming the field.
//
// A compressed body (Content-Encoding) is refused with 415 before anything inflates it: the
// size limit applies to the bytes on the wire, so a small gzip body could otherwise expand to
// gigabytes in memory.
func Decode(c *fiber.Ctx, dst any) error {
	if enc := strings.TrimSpace(c.Get(fiber.HeaderContentEncoding)); enc != "" && !strings.EqualFold(enc, "identity") {
		return problem.New(fiber.StatusUnsupportedMediaType, "send the body uncompressed (no Content-Encoding)")
	}
	body := c.Request().Body()
	if len(body) > MaxBody {
		return problem.TooLarge("the body is larger than 1 MiB")
	}
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return problem.BadRequest("the body must be application/json")
	}
	return DecodeBytes(body, dst)
}

// DecodeBytes is Decode's check of the body itself: strict JSON into dst (400 problems naming
// the field), then the text of every string in it (CheckText: 422 naming the field). On an
// error dst may be partly filled: use it only when DecodeBytes returns nil.
func DecodeBytes(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeProblem(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return problem.BadRequest("the body must hold a single JSON value")
	}
	return CheckText(dst)
}

func decodeProblem(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	msg := err.Error()
	switch {
	case errors.As(err, &syn):
		return problem.BadRequest(fmt.Sprintf("malformed JSON at byte %d", syn.Offset))
	case errors.As(err, &typ):
		p := problem.BadRequest("a field has the wrong type")
		p.Errors = []problem.FieldError{{Field: typ.Field, Message: "must be " + jsonKind(typ.Type.Kind().String())}}
		return p
	case strings.HasPrefix(msg, "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
		p := problem.BadRequest("unknown field " + strconv.Quote(field))
		p.Errors = []problem.FieldError{{Field: field, Message: "unknown field"}}
		return p
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return problem.BadRequest("the body is empty or truncated")
	default:
		return problem.BadRequest("the body is not valid JSON")
	}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	default:
		return "a number"
	}
}

// ToProblem turns any error into the problem the client sees. Unknown errors are logged with
// the request id and become a 500 that reveals nothing.
func ToProblem(log *slog.Logger, c *fiber.Ctx, err error) *problem.Problem {
	if p, ok := problem.As(err); ok {
		return p
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		p := problem.New(fe.Code, fe.Message)
		if fe.Code == fiber.StatusRequestEntityTooLarge {
			p.Detail = "the body is larger than the limit"
		}
		return p
	}
	if db.IsContention(err) {
		// Two changes met at the same moment and the database gave up on this one: nothing was
		// written, so say so and let the client try again rather than report a fault.
		log.Warn("request lost a race in the database", "err", err, "request_id", c.Locals("requestid"), "path", c.Path())
		p := problem.New(fiber.StatusConflict, "another change was being made at the same moment; nothing was saved, try again")
		p.RetryAfter = 1
		return p
	}
	log.Error("request failed", "err", err, "request_id", c.Locals("requestid"), "path", c.Path())
	return problem.New(fiber.StatusInternalServerError, "something went wrong on our side")
}

// ErrorHandler writes every error as application/problem+json.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler { return ErrorHandlerEditing(log, nil) }

// ErrorHandlerEditing is ErrorHandler with edit given each problem before it is written
// (core/app translates the field messages for the pages' own scripts).
func ErrorHandlerEditing(log *slog.Logger, edit func(*fiber.Ctx, *problem.Problem)) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		p := ToProblem(log, c, err)
		if edit != nil {
			edit(c, p)
		}
		if p.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(p.RetryAfter))
		}
		return WriteProblem(c, p)
	}
}

// WriteProblem sends p as problem+json.
func WriteProblem(c *fiber.Ctx, p *problem.Problem) error {
	b, _ := EncodeJSON(p)
	c.Status(p.Status)
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return c.Send(b)
}

// EncodeJSON is the JSON of every answer: one line ending with a newline, as command-line
// tools expect (the App gives it to Fiber as its encoder).
func EncodeJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// JSON writes v with status.
func JSON(c *fiber.Ctx, status int, v any) error {
	return c.Status(status).JSON(v)
}

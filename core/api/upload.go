package api

import (
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/problem"
)

// FormFile reads a multipart file field whole, at most max bytes: a missing field is a 422 on
// it, a bigger file a 413 that says the limit. The name is the client's (bounded by the
// caller where it is kept); it is cloned, as Fiber reuses the request's memory.
func FormFile(c *fiber.Ctx, field string, max int64) (string, []byte, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		return "", nil, problem.Invalid(problem.FieldError{Field: field, Message: "send the file as the multipart field " + field})
	}
	if fh.Size > max {
		return "", nil, problem.TooLarge(fmt.Sprintf("the file is larger than %d KiB", max>>10))
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err == nil && int64(len(data)) > max {
		return "", nil, problem.TooLarge(fmt.Sprintf("the file is larger than %d KiB", max>>10))
	}
	return strings.Clone(fh.Filename), data, err
}

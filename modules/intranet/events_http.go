package intranet

// The calendars' API (shared/API.md "Intranet and search": GET, POST /api/v1/{slug}/events).

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
)

var (
	rangeParams      = []api.Param{{Name: "from", Type: "string", Description: "the first day (YYYY-MM-DD; default: the first of this month)"}, {Name: "to", Type: "string", Description: "the last day, inclusive (default: the end of from's month; at most 366 days after from)"}, spaceParam}
	occurrenceParams = []api.Param{{Name: "occurrence", Type: "string", Description: "a repeating event's occurrence alone: its day (YYYY-MM-DD) in the event's time zone, as listed in a range's occurrence field; without it, the whole series"}}
	importParams     = []api.Param{{Name: "space_id", Type: "integer", Description: "the space the events go in (required)"}, {Name: "dry_run", Type: "boolean", Description: "preview what the file holds without writing"}}
)

// eventRoutes registers the events' API.
func (h *handlers) eventRoutes(r routes) {
	const tag = "Intranet"
	read, write := api.Can("intranet", "read"), api.Can("intranet", "write")
	r.Get("/api/v1/:slug/events", read, h.events, api.Doc{Summary: "The events of the caller's spaces that meet a range of days, by start", Tag: tag, Response: EventList{}, Query: rangeParams})
	r.Post("/api/v1/:slug/events", write, h.createEvent, api.Doc{Summary: "Add an event to a space (the company's: managers and up); attendees are people of the space; ends_at before starts_at -> 422", Tag: tag, Request: EventInput{}, Response: Event{}, Status: 201})
	r.Get("/api/v1/:slug/events/:id", read, h.event, api.Doc{Summary: "One event, with its attendees and, for a series, its exceptions; ?occurrence= gives one occurrence (its changes applied; a cancelled one -> 404)", Tag: tag, Response: Event{}, Query: occurrenceParams})
	r.Put("/api/v1/:slug/events/:id", write, h.updateEvent, api.Doc{Summary: "Change an event (a repeating one: the whole series, or with ?occurrence= that occurrence alone — its title, description, place and times): its author, or managers and up; the body is a whole event", Tag: tag, Request: EventInput{}, Response: Event{}, Query: occurrenceParams})
	r.Delete("/api/v1/:slug/events/:id", write, h.deleteEvent, api.Doc{Summary: "Delete an event (a repeating one: the whole series, or with ?occurrence= cancel that occurrence alone): its author, or managers and up", Tag: tag, Status: 204, Query: occurrenceParams})
	r.Post("/api/v1/:slug/events/import", write, h.importEvents, api.Doc{Summary: "Import the events of an .ics file (multipart field file, at most 1 MiB) into a space; dry_run previews; a malformed file -> 422 naming the line, nothing written", Tag: tag,
		Response: ImportReport{}, Query: importParams, Status: 201})
}

// parseDay reads a YYYY-MM-DD query parameter (absent: zero).
func parseDay(c *fiber.Ctx, name string) (time.Time, error) {
	s := c.Query(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, problem.Invalid(problem.FieldError{Field: name, Message: "must be a day YYYY-MM-DD"})
	}
	return t, nil
}

// queryRange reads ?from=&to= (default: the month of from, or this month).
func (h *handlers) queryRange(c *fiber.Ctx) (time.Time, time.Time, error) {
	from, err := parseDay(c, "from")
	if err != nil {
		return from, from, err
	}
	to, err := parseDay(c, "to")
	if err != nil {
		return from, to, err
	}
	if from.IsZero() {
		now := h.svc.now()
		from = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	if to.IsZero() {
		to = time.Date(from.Year(), from.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return from, to, nil
}

func (h *handlers) events(c *fiber.Ctx) error {
	from, to, err := h.queryRange(c)
	if err != nil {
		return err
	}
	sp, err := querySpace(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Events(c.UserContext(), actor.From(c), from, to, sp)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) createEvent(c *fiber.Ctx) error {
	var in EventInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateEvent(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

// icsUpload reads the multipart field "file" (413 above MaxImportBytes).
func icsUpload(c *fiber.Ctx) ([]byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, problem.Invalid(problem.FieldError{Field: "file", Message: "send the .ics file as the multipart field file"})
	}
	if fh.Size > MaxImportBytes {
		return nil, problem.TooLarge(fmt.Sprintf("the file is larger than %d MiB", MaxImportBytes>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxImportBytes+1))
	if err == nil && len(data) > MaxImportBytes {
		return nil, problem.TooLarge(fmt.Sprintf("the file is larger than %d MiB", MaxImportBytes>>20))
	}
	return data, err
}

func (h *handlers) importEvents(c *fiber.Ctx) error {
	sp, err := querySpace(c)
	if err != nil {
		return err
	}
	if sp == 0 {
		return problem.Invalid(problem.FieldError{Field: "space_id", Message: "is required"})
	}
	data, err := icsUpload(c)
	if err != nil {
		return err
	}
	dry := strings.EqualFold(c.Query("dry_run"), "true")
	out, err := h.svc.ImportICS(c.UserContext(), actor.From(c), sp, data, dry)
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if dry {
		status = fiber.StatusOK
	}
	return api.JSON(c, status, out)
}

func (h *handlers) event(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var out Event
	if key := c.Query("occurrence"); key != "" {
		out, err = h.svc.Occurrence(c.UserContext(), actor.From(c), id, key)
	} else {
		out, err = h.svc.Event(c.UserContext(), actor.From(c), id)
	}
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) updateEvent(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in EventInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	var out Event
	if key := c.Query("occurrence"); key != "" {
		out, err = h.svc.UpdateOccurrence(c.UserContext(), actor.From(c), id, key, in)
	} else {
		out, err = h.svc.UpdateEvent(c.UserContext(), actor.From(c), id, in)
	}
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) deleteEvent(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if key := c.Query("occurrence"); key != "" {
		err = h.svc.CancelOccurrence(c.UserContext(), actor.From(c), id, key)
	} else {
		err = h.svc.DeleteEvent(c.UserContext(), actor.From(c), id)
	}
	if err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

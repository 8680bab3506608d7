package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
)

// The shapes most JSON routes share — read the path ids, decode the body, call the service
// for the request's actor, answer — written once, so that a module's handlers are one line
// each and every module answers them alike: ids that are not ids are 404s, a bad body is the
// Decode problem, a service error goes to the error handler.

// Create serves POST .../{param}/things: the body creates a row under the path's id; 201.
func Create[In, Out any](param string, create func(context.Context, *actor.Actor, int64, In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := PathID(c, param)
		if err != nil {
			return err
		}
		var in In
		if err := Decode(c, &in); err != nil {
			return err
		}
		out, err := create(c.UserContext(), actor.From(c), id, in)
		if err != nil {
			return err
		}
		return JSON(c, fiber.StatusCreated, out)
	}
}

// Paged serves GET .../{param}/things: a cursor page (ParsePage) of what is under the id; 200.
func Paged[Out any](param string, list func(context.Context, *actor.Actor, int64, Page) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := PathID(c, param)
		if err != nil {
			return err
		}
		pg, err := ParsePage(c)
		if err != nil {
			return err
		}
		out, err := list(c.UserContext(), actor.From(c), id, pg)
		if err != nil {
			return err
		}
		return JSON(c, fiber.StatusOK, out)
	}
}

// Change serves PATCH .../{parent}/things/{child}: the body changes the row; 200 with it.
func Change[In, Out any](parent, child string, change func(context.Context, *actor.Actor, int64, int64, In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := PathID(c, parent)
		if err != nil {
			return err
		}
		id, err := PathID(c, child)
		if err != nil {
			return err
		}
		var in In
		if err := Decode(c, &in); err != nil {
			return err
		}
		out, err := change(c.UserContext(), actor.From(c), p, id, in)
		if err != nil {
			return err
		}
		return JSON(c, fiber.StatusOK, out)
	}
}

// Remove serves DELETE .../{parent}/things/{child}; 204.
func Remove(parent, child string, remove func(context.Context, *actor.Actor, int64, int64) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := PathID(c, parent)
		if err != nil {
			return err
		}
		id, err := PathID(c, child)
		if err != nil {
			return err
		}
		if err := remove(c.UserContext(), actor.From(c), p, id); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// One serves a route about one row that takes no body — GET .../things/{param}, or a POST
// action such as .../restore — and answers the row of the path's id; 200.
func One[Out any](param string, get func(context.Context, *actor.Actor, int64) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := PathID(c, param)
		if err != nil {
			return err
		}
		out, err := get(c.UserContext(), actor.From(c), id)
		if err != nil {
			return err
		}
		return JSON(c, fiber.StatusOK, out)
	}
}

// Update serves PATCH .../things/{param} (or a POST that changes one row with a body): the
// body changes the row of the path's id; 200 with it.
func Update[In, Out any](param string, update func(context.Context, *actor.Actor, int64, In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := PathID(c, param)
		if err != nil {
			return err
		}
		var in In
		if err := Decode(c, &in); err != nil {
			return err
		}
		out, err := update(c.UserContext(), actor.From(c), id, in)
		if err != nil {
			return err
		}
		return JSON(c, fiber.StatusOK, out)
	}
}

// Delete serves DELETE .../things/{param}; 204.
func Delete(param string, remove func(context.Context, *actor.Actor, int64) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := PathID(c, param)
		if err != nil {
			return err
		}
		if err := remove(c.UserContext(), actor.From(c), id); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

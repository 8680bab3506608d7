// Package ops is the platform staff's view of background work: the tasks that failed their
// last retry (asynq's archive, the "dead" list) with their errors, and a retry button. Only
// platform support sees it — task payloads may hold account data, so the list shows types,
// queues, errors and sizes, never payloads. Every retry is recorded in the audit trail.
package ops

import (
	"embed"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/problem"
	"groupcamp/core/web"
	"groupcamp/jobs"
)

//go:embed views locales
var files embed.FS

// MaxListed is how many dead tasks per queue the list shows.
const MaxListed = 200

// HTTP serves the dead-task list.
type HTTP struct {
	Broker *jobs.Broker
	DB     *bun.DB
	Web    *web.Renderer
}

// Install loads the views and catalogs.
func (h *HTTP) Install() error { return h.Web.Mount(files, "ops") }

// Routes registers the API and the page, for platform support only.
func (h *HTTP) Routes(r *api.Routes) {
	support := api.Platform(actor.PlatformSupport)
	r.Get("/api/v1/platform/jobs/dead", support, h.list, api.Doc{Summary: "Background tasks that failed their last retry, with their errors", Tag: "Platform", Response: []jobs.DeadTask{}})
	r.Post("/api/v1/platform/jobs/dead/:queue/:id/retry", support, h.retry, api.Doc{Summary: "Run a dead task again", Tag: "Platform", Status: 204})
	r.Get("/platform/jobs", support, h.page)
	r.Post("/platform/jobs/:queue/:id/retry", support, h.retryForm)
}

func (h *HTTP) list(c *fiber.Ctx) error {
	dead, err := h.Broker.Dead(MaxListed)
	if err != nil {
		return err
	}
	if dead == nil {
		dead = []jobs.DeadTask{}
	}
	return c.JSON(dead)
}

// doRetry moves the task back to its queue and records who did it.
func (h *HTTP) doRetry(c *fiber.Ctx) error {
	queue, id := strings.Clone(c.Params("queue")), strings.Clone(c.Params("id"))
	if _, ok := jobs.Weights[queue]; !ok || id == "" || len(id) > 200 {
		return problem.NotFound()
	}
	if err := h.Broker.RetryDead(queue, id); err != nil {
		return problem.NotFound()
	}
	return audit.Record(c.UserContext(), h.DB, actor.From(c), 0, "platform.job_retried", queue+"/"+id, nil)
}

func (h *HTTP) retry(c *fiber.Ctx) error {
	if err := h.doRetry(c); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *HTTP) page(c *fiber.Ctx) error {
	dead, err := h.Broker.Dead(MaxListed)
	if err != nil {
		return err
	}
	p := h.Web.NewPage(c, "ops.title")
	p.Data = dead
	return h.Web.Render(c, "ops/dead", p)
}

func (h *HTTP) retryForm(c *fiber.Ctx) error {
	if err := h.doRetry(c); err != nil {
		return err
	}
	return web.Done(c, "ops.retried", "/platform/jobs")
}

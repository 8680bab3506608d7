package ops_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/jobs"
)

// broken registers a task that always fails, so it lands in the dead list.
type broken struct{}

func (broken) Name() string { return "broken" }
func (broken) Register(r *app.Registry) error {
	r.Task("test:broken", func(ctx context.Context, p []byte) error { return errors.New("the printer is on fire") })
	return nil
}

func TestDeadTasksForSupportOnly(t *testing.T) {
	testkit.EachDB(t, testkit.Options{Modules: []app.Module{broken{}}}, func(t *testing.T, e *testkit.Env) {
		if err := e.App.Jobs.Enqueue(context.Background(), jobs.Low, "test:broken", []byte(`{"secret":"payload"}`), asynq.MaxRetry(0)); err != nil {
			t.Fatal(err)
		}
		support := e.NewPlatformUser("support")
		var dead []jobs.DeadTask
		deadline := time.Now().Add(20 * time.Second)
		for len(dead) == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the failing task never reached the dead list")
			}
			time.Sleep(100 * time.Millisecond)
			e.As(support).Get("/api/v1/platform/jobs/dead").JSON(t, &dead)
		}
		if dead[0].Type != "test:broken" || dead[0].Error != "the printer is on fire" || dead[0].Queue != jobs.Low {
			t.Errorf("dead = %+v", dead[0])
		}
		page := e.As(support).Get("/platform/jobs")
		if page.Status != http.StatusOK || !strings.Contains(page.String(), "the printer is on fire") || strings.Contains(page.String(), "secret") {
			t.Errorf("page: %d (payloads must not show)", page.Status)
		}
		// Not for owners, partners or strangers.
		acc := e.NewAccount()
		for _, u := range []*testkit.User{acc.Owner, e.NewPlatformUser("partner")} {
			if r := e.As(u).Get("/api/v1/platform/jobs/dead"); r.Status != http.StatusNotFound {
				t.Errorf("%s reads the dead list: %d", u.Role, r.Status)
			}
		}
		if r := e.As(support).Post("/api/v1/platform/jobs/dead/low/nope/retry", nil); r.Status != http.StatusNotFound {
			t.Errorf("unknown task: %d", r.Status)
		}
		if r := e.As(support).Post("/api/v1/platform/jobs/dead/bogus/"+dead[0].ID+"/retry", nil); r.Status != http.StatusNotFound {
			t.Errorf("unknown queue: %d", r.Status)
		}
		if r := e.As(support).Post("/api/v1/platform/jobs/dead/"+dead[0].Queue+"/"+dead[0].ID+"/retry", nil); r.Status != http.StatusNoContent {
			t.Fatalf("retry: %d %s", r.Status, r.Body)
		}
		n, _ := e.App.DB.NewSelect().TableExpr("audit_events").Where("action = ?", "platform.job_retried").Count(context.Background())
		if n != 1 {
			t.Errorf("retries audited = %d", n)
		}
	})
}

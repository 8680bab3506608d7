package jobs

import (
	"errors"
	"time"

	"github.com/hibiken/asynq"
)

// DeadTask is a task that failed its last retry.
type DeadTask struct {
	ID        string    `json:"id"`
	Queue     string    `json:"queue"`
	Type      string    `json:"type"`
	Error     string    `json:"error"`
	Retried   int       `json:"retried"`
	FailedAt  time.Time `json:"failed_at"`
	PayloadSz int       `json:"payload_size"`
}

// Dead lists the archived tasks of every queue, newest first within a queue (at most limit
// per queue).
func (b *Broker) Dead(limit int) ([]DeadTask, error) {
	var out []DeadTask
	for q := range Weights {
		infos, err := b.Inspector.ListArchivedTasks(b.Queue(q), asynq.PageSize(limit))
		if err != nil {
			if errors.Is(err, asynq.ErrQueueNotFound) {
				continue
			}
			return nil, err
		}
		for _, t := range infos {
			out = append(out, DeadTask{ID: t.ID, Queue: q, Type: t.Type, Error: t.LastErr, Retried: t.Retried, FailedAt: t.LastFailedAt, PayloadSz: len(t.Payload)})
		}
	}
	return out, nil
}

// RetryDead moves an archived task back to its queue.
func (b *Broker) RetryDead(queue, id string) error {
	return b.Inspector.RunTask(b.Queue(queue), id)
}

package files

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
)

// The attachments of tasks purged and comments deleted. The projects module deletes its rows
// in several ways (a task purged from its trash, with its list or its project; a comment
// deleted) and files never imports it, so the hourly collector asks projects, through its
// TasksGone port, which of the tasks and comments attachments name are gone, and removes those
// attachments: their rows go and their files move to the files trash (by nobody), where the
// account's retention applies as to any deleted file. A task in the trash is not gone: its
// attachments wait with it.

// attachBatch is how many attachments one question to projects covers.
const attachBatch = 500

// forgetAttachments removes the attachments of gone tasks and comments, in every account,
// and returns how many.
func (s *Service) forgetAttachments(ctx context.Context) (int, error) {
	if s.TasksGone == nil || !s.TasksGone.Has() {
		return 0, nil
	}
	var accounts []int64
	// Crosses accounts (like unscopedAccounts); the work is then each account's.
	if err := s.DB.NewSelect().TableExpr("files_attachments AS fa").ColumnExpr("DISTINCT fa.account_id").Scan(ctx, &accounts); err != nil {
		return 0, err
	}
	n := 0
	for _, acc := range accounts {
		tn := s.tenant(acc)
		for after := int64(0); ; {
			var rows []attachmentRow
			if err := tn.Select(&rows).Where("fa.id > ?", after).OrderExpr("fa.id").Limit(attachBatch).Scan(ctx); err != nil {
				return n, err
			}
			if len(rows) == 0 {
				break
			}
			after = rows[len(rows)-1].ID
			var tasks, comments []int64
			for _, r := range rows {
				tasks = append(tasks, r.TaskID)
				if r.CommentID != nil {
					comments = append(comments, *r.CommentID)
				}
			}
			goneT, goneC, err := s.TasksGone.Get().Gone(ctx, s.DB, acc, tasks, comments)
			if err != nil {
				return n, err
			}
			gone := map[int64]bool{}
			for _, id := range goneT {
				gone[id] = true
			}
			goneComment := map[int64]bool{}
			for _, id := range goneC {
				goneComment[id] = true
			}
			var ids, files []int64
			for _, r := range rows {
				if gone[r.TaskID] || (r.CommentID != nil && goneComment[*r.CommentID]) {
					ids, files = append(ids, r.ID), append(files, r.FileID)
				}
			}
			if len(ids) == 0 {
				continue
			}
			now := s.now()
			err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
				if _, err := tn.Exec(ctx, "UPDATE files_files SET trashed_at = ?1, trashed_by = NULL WHERE account_id = ?0 AND id IN (?2) AND trashed_at IS NULL",
					now, bun.List(files)); err != nil {
					return err
				}
				if _, err := tn.Exec(ctx, "DELETE FROM files_attachments WHERE account_id = ? AND id IN (?)", bun.List(ids)); err != nil {
					return err
				}
				refs := make([]hooks.Ref, len(files))
				for i, id := range files {
					refs[i] = fileRef(id)
				}
				return touch(ctx, tn, refs...)
			})
			if err != nil {
				return n, err
			}
			n += len(ids)
		}
	}
	return n, nil
}

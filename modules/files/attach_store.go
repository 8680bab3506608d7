package files

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// The queries of attachments (attach.go), scoped by the account's tenant like the others.

// topFolderNamed is the id of the project's top folder of that name key (0: none), not in
// the trash.
func (store) topFolderNamed(ctx context.Context, tn db.Tenant, project int64, key string) (int64, error) {
	var ids []int64
	err := tn.Select((*Folder)(nil)).Column("fo.id").
		Where("fo.parent_id IS NULL AND fo.project_id = ? AND fo.name_key = ? AND fo.trashed_at IS NULL", project, key).
		Limit(1).Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

func (store) insertAttachment(ctx context.Context, tn db.Tenant, r *attachmentRow) error {
	_, err := tn.Insert(r).Exec(ctx)
	return err
}

func (store) deleteAttachment(ctx context.Context, tn db.Tenant, id int64) error {
	_, err := tn.Delete((*attachmentRow)(nil)).Where("fa.id = ?", id).Exec(ctx)
	return err
}

// attachments lists a task's attachments whose file is not in the trash, oldest first, with
// their files (at most limit).
func (store) attachments(ctx context.Context, tn db.Tenant, task int64, limit int) ([]attachmentRow, []File, error) {
	var rows []attachmentRow
	err := tn.Select(&rows).
		Where("fa.task_id = ?", task).
		Where("EXISTS (SELECT 1 FROM files_files f2 WHERE f2.id = fa.file_id AND f2.account_id = fa.account_id AND f2.trashed_at IS NULL)").
		OrderExpr("fa.id").Limit(int64(limit)).Scan(ctx)
	if err != nil || len(rows) == 0 {
		return nil, nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.FileID
	}
	var fs []File
	if err := tn.Select(&fs).Where("fi.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, nil, err
	}
	byID := make(map[int64]File, len(fs))
	for _, f := range fs {
		byID[f.ID] = f
	}
	out := make([]File, len(rows))
	for i, r := range rows {
		out[i] = byID[r.FileID]
	}
	return rows, out, nil
}

// attachment is one attachment of the task, with its file (404 when its file is in the trash).
func (s store) attachment(ctx context.Context, tn db.Tenant, task, id int64) (*attachmentRow, *File, error) {
	r := new(attachmentRow)
	if err := tn.Select(r).Where("fa.id = ? AND fa.task_id = ?", id, task).Scan(ctx); err != nil {
		return nil, nil, notFound(err)
	}
	fi, err := s.file(ctx, tn, r.FileID)
	if err != nil {
		return nil, nil, err
	}
	if fi.TrashedAt != nil {
		return nil, nil, problem.NotFound()
	}
	return r, fi, nil
}

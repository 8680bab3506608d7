package files

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// Work of the jobs (unscopedAccounts).
const (
	workCollect = "collect"
	workPurge   = "purge"
)

// unscopedAccounts is the one query of the module that crosses accounts: the ids of the
// accounts that have some work for a job at cutoff. The job then works account by account,
// through each one's Tenant.
func (store) unscopedAccounts(ctx context.Context, idb bun.IDB, work string, cutoff time.Time) ([]int64, error) {
	var q *bun.SelectQuery
	switch work {
	case workCollect:
		q = idb.NewSelect().TableExpr("files_blobs AS b").ColumnExpr("DISTINCT b.account_id").
			Where("b.refs = 0 AND b.unreferenced_at < ?", cutoff)
	case workPurge:
		q = idb.NewSelect().TableExpr("files_files AS fi").ColumnExpr("DISTINCT fi.account_id").Where("fi.trashed_at < ?", cutoff).
			UnionAll(idb.NewSelect().TableExpr("files_folders AS fo").ColumnExpr("DISTINCT fo.account_id").Where("fo.trashed_at < ?", cutoff))
	default:
		panic("files: no work " + work)
	}
	var ids []int64
	err := q.Scan(ctx, &ids)
	return ids, err
}

// collectable lists the account's blobs without a reference since before cutoff.
func (store) collectable(ctx context.Context, tn db.Tenant, cutoff time.Time) ([]Blob, error) {
	var out []Blob
	err := tn.Select(&out).Where("b.refs = 0 AND b.unreferenced_at < ?", cutoff).
		Where("NOT EXISTS (SELECT 1 FROM files_versions AS v WHERE v.account_id = b.account_id AND v.blob_id = b.id)").
		OrderExpr("b.id").Limit(1000).Scan(ctx)
	return out, err
}

// dropBlob deletes the blob row if it is still without a reference since before cutoff (an
// upload that reserved it since touched it): true when it went.
func (store) dropBlob(ctx context.Context, tn db.Tenant, id int64, cutoff time.Time) (bool, error) {
	res, err := tn.Exec(ctx, `DELETE FROM files_blobs WHERE account_id = ? AND id = ? AND refs = 0 AND unreferenced_at < ?
		AND NOT EXISTS (SELECT 1 FROM files_versions AS v WHERE v.account_id = files_blobs.account_id AND v.blob_id = files_blobs.id)`, id, cutoff)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// expiredFolders are the folders trashed before cutoff and every folder below them.
func (store) expiredFolders(ctx context.Context, tn db.Tenant, cutoff time.Time) ([]int64, []int64, error) {
	var tops []int64
	if err := tn.SelectFrom("files_folders", "fo").Column("fo.id").Where("fo.trashed_at < ?", cutoff).Scan(ctx, &tops); err != nil {
		return nil, nil, err
	}
	all := append([]int64{}, tops...)
	for next := tops; len(next) > 0; {
		var kids []int64
		if err := tn.SelectFrom("files_folders", "fo").Column("fo.id").Where("fo.parent_id IN (?)", bun.List(next)).Scan(ctx, &kids); err != nil {
			return nil, nil, err
		}
		all, next = append(all, kids...), kids
	}
	return tops, all, nil
}

// purge deletes the files trashed before cutoff and the expired folders (tops; the database
// deletes what is below them), and returns the blobs whose versions went.
func (store) purge(ctx context.Context, tn db.Tenant, cutoff time.Time, tops, all []int64) ([]int64, int, error) {
	var blobs []int64
	q := tn.SelectFrom("files_versions", "v").ColumnExpr("DISTINCT v.blob_id").
		Join("JOIN files_files AS fi ON fi.account_id = v.account_id AND fi.id = v.file_id")
	if len(all) > 0 {
		q = q.Where("fi.trashed_at < ? OR fi.folder_id IN (?)", cutoff, bun.List(all))
	} else {
		q = q.Where("fi.trashed_at < ?", cutoff)
	}
	if err := q.Scan(ctx, &blobs); err != nil {
		return nil, 0, err
	}
	res, err := tn.Exec(ctx, "DELETE FROM files_files WHERE account_id = ? AND trashed_at < ?", cutoff)
	if err != nil {
		return nil, 0, err
	}
	n, _ := res.RowsAffected()
	if len(all) > 0 {
		// Files first (their versions go with them), then the folders, deepest last.
		if _, err := tn.Exec(ctx, "DELETE FROM files_files WHERE account_id = ? AND folder_id IN (?)", bun.List(all)); err != nil {
			return nil, 0, err
		}
		for i := len(all) - 1; i >= 0; i-- {
			if _, err := tn.Exec(ctx, "DELETE FROM files_folders WHERE account_id = ? AND id = ?", all[i]); err != nil {
				return nil, 0, err
			}
		}
	}
	return blobs, int(n) + len(tops), nil
}

package intranet

// News in the notifications: a published post is a notice (NoticeNews) to the people of its
// space who have not read it, its author excepted. Its default channel is the daily digest
// (core/notify's, one mail a day of what is unread — Registry.NoticesByDefault), so that a
// person gets the day's news in one mail; each person may choose email (one per post), the
// bell only, or nothing, on their notification preferences. Reading the post marks its notice
// read, so a post read before the digest leaves is not in it.

import (
	"context"
	"fmt"

	"groupcamp/core/automation"
	"groupcamp/core/db"
)

// NoticeNews is the notice of a published post.
const NoticeNews = "intranet.news"

// newsPath is a post's page inside the account.
func newsPath(id int64) string { return fmt.Sprintf("/intranet/news/%d", id) }

// announceNews tells the people of post n's space who have not read it (its author excepted)
// that it is published, in the caller's transaction.
func (s *Service) announceNews(ctx context.Context, tn db.Tenant, n News) error {
	if s.Notifier == nil {
		return nil
	}
	var sp Space
	if err := tn.Select(&sp).Where("s.id = ?", n.SpaceID).Scan(ctx); err != nil {
		return err
	}
	people, err := s.audience(ctx, tn.Unscoped(), sp)
	if err != nil || len(people) == 0 {
		return err
	}
	var read []int64
	if err := tn.SelectFrom("intranet_news_reads", "nr").Column("nr.user_id").Where("nr.news_id = ?", n.ID).Scan(ctx, &read); err != nil {
		return err
	}
	seen := make(map[int64]bool, len(read)+1)
	for _, id := range read {
		seen[id] = true
	}
	if n.AuthorID != nil {
		seen[*n.AuthorID] = true
	}
	ids := make([]int64, 0, len(people))
	for _, p := range people {
		if !seen[p.UserID] {
			ids = append(ids, p.UserID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var author string
	if n.AuthorID != nil {
		if err := tn.Unscoped().NewSelect().TableExpr("users AS u").Column("u.name").Where("u.id = ?", *n.AuthorID).Scan(ctx, &author); err != nil && !db.IsNotFound(err) {
			return err
		}
	}
	return s.Notifier.Notify(ctx, tn.Unscoped(), automation.Notice{AccountID: tn.AccountID, UserIDs: ids, EventType: NoticeNews,
		Key: "intranet.notice.news", Args: []any{"Name", author, "Title", n.Title, "Space", sp.Name},
		Text: fmt.Sprintf("%s posted “%s” in %s.", author, n.Title, sp.Name), Path: newsPath(n.ID)})
}

// newsRead takes the person's notice of post id out of the bell and of their next digest.
func (s *Service) newsRead(ctx context.Context, tn db.Tenant, userID, id int64) error {
	rm, ok := s.Notifier.(automation.ReadMarker)
	if !ok {
		return nil
	}
	return rm.MarkPathRead(ctx, tn.Unscoped(), tn.AccountID, userID, newsPath(id))
}

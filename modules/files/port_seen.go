package files

import (
	"context"
	"slices"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
	"groupcamp/modules/files/contract"
)

// filesSeen is the files side of contract.FilesSeen: the same reach as the file pages.
type filesSeen struct{ svc *Service }

var _ contract.FilesSeen = filesSeen{}

// maxSeen bounds one question: a caller asks about the few files of one form.
const maxSeen = 100

func (p filesSeen) Seen(ctx context.Context, person *actor.Actor, companyID int64, ids []int64) (map[int64]contract.FileRef, error) {
	out := map[int64]contract.FileRef{}
	if person == nil || person.AccountID() <= 0 {
		return out, nil
	}
	tn := p.svc.tenant(person.AccountID())
	for i, id := range ids {
		if i == maxSeen {
			break
		}
		f, folder, err := p.svc.reachFile(ctx, tn, person, id, false)
		if pr, ok := problem.As(err); ok && pr.Status == 404 {
			continue
		} else if err != nil {
			return nil, err
		}
		out[id] = contract.FileRef{ID: f.ID, Name: f.Name,
			Shared: companyID != 0 && folder.Visibility == VisibilityClients && slices.Contains(folder.CompanyIDs, companyID)}
	}
	return out, nil
}

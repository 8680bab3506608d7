package contract

import "context"

// ClientProjectsPort is the name of the ClientProjects port, which projects provides for the
// extranet: the projects a client company takes part in, whoever of it is asking.
const ClientProjectsPort = "projects.client_projects"

// ClientProjects answers which projects a client company is a client of — the project names it
// as its client company, or one of its people is a client member of it — so that a deliverable
// is only ever submitted to a company on one of its own projects.
type ClientProjects interface {
	// OfCompany keeps, of ids (all when nil), the projects of the account that the company is a
	// client of and that are not in the trash, with their names, by name, at most limit.
	OfCompany(ctx context.Context, accountID, companyID int64, ids []int64, limit int) ([]ProjectRef, error)
}

// ProjectPeoplePort is the name of the ProjectPeople port, which projects provides for the
// files module: whom to tell of a client's upload into a project's folder.
const ProjectPeoplePort = "projects.project_people"

// ProjectPeople answers who works on a project, without the asking module importing projects.
type ProjectPeople interface {
	// Team lists the ids of the project's team (its managers and members, not its clients)
	// whose account membership is active, at most limit.
	Team(ctx context.Context, accountID, projectID int64, limit int) ([]int64, error)
}

package main

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"groupcamp/plugins/sdk"
)

// The rest of the Host API, shown over the plugin's endpoint (a partner's plugin would use
// it inside its own features):
//
//	GET  /milestones.json?project=ID, /tasks.json?project=ID  (projects.read, tasks.read)
//	GET  /files.json?project=ID  the project's files (files.read)
//	GET  /file?id=ID             one file's bytes, at most 1 MiB (files.read)
//	GET  /people.json            the directory (people.read)
//	POST /comment                {"task_id", "body"}: a comment as the person asking (comments.write)
//	POST /notify                 {"person_id", "text", "path"}: a notification (notifications.write)

// maxFile is the most this plugin reads of a file.
const maxFile = 1 << 20

func asJSON(v any, err error) (sdk.Response, error) {
	if err != nil {
		return failed(err)
	}
	b, err := json.Marshal(v)
	return sdk.Response{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: b}, err
}

// failed answers the Host API's refusals as HTTP statuses (others fail the call).
func failed(err error) (sdk.Response, error) {
	statuses := map[codes.Code]int{codes.NotFound: 404, codes.PermissionDenied: 403, codes.InvalidArgument: 422, codes.FailedPrecondition: 409}
	if st, ok := status.FromError(err); ok {
		if code, ok := statuses[st.Code()]; ok {
			return sdk.Response{Status: code, Body: []byte(st.Message())}, nil
		}
	}
	return sdk.Response{}, err
}

func idParam(query, name string) int64 {
	v, _ := url.ParseQuery(query)
	id, _ := strconv.ParseInt(v.Get(name), 10, 64)
	return id
}

// api answers the Host API demonstrations; ok is false for a path it does not serve.
func api(ctx context.Context, req sdk.Request, host sdk.Host) (res sdk.Response, ok bool, err error) {
	switch req.Method + " " + req.Path {
	case "GET /milestones.json":
		res, err = asJSON(host.Milestones(ctx, idParam(req.Query, "project")))
	case "GET /tasks.json":
		res, err = asJSON(host.Tasks(ctx, idParam(req.Query, "project")))
	case "GET /files.json":
		res, err = asJSON(host.Files(ctx, idParam(req.Query, "project")))
	case "GET /file":
		f, b, ferr := host.ReadFile(ctx, idParam(req.Query, "id"), maxFile)
		if ferr != nil {
			res, err = failed(ferr)
		} else {
			res = sdk.Response{Status: 200, Header: map[string]string{"Content-Type": f.MIME}, Body: b}
		}
	case "GET /people.json":
		res, err = asJSON(host.People(ctx))
	case "POST /comment":
		var in struct {
			TaskID int64  `json:"task_id"`
			Body   string `json:"body"`
		}
		if json.Unmarshal(req.Body, &in) != nil {
			return sdk.Response{Status: 400, Body: []byte("want JSON")}, true, nil
		}
		id, cerr := host.PostComment(ctx, in.TaskID, in.Body)
		res, err = asJSON(map[string]int64{"id": id}, cerr)
	case "POST /notify":
		var in struct {
			PersonID int64  `json:"person_id"`
			Text     string `json:"text"`
			Path     string `json:"path"`
		}
		if json.Unmarshal(req.Body, &in) != nil {
			return sdk.Response{Status: 400, Body: []byte("want JSON")}, true, nil
		}
		res, err = asJSON(map[string]bool{"sent": true}, host.Notify(ctx, sdk.Notice{PersonID: in.PersonID, Text: in.Text, Path: in.Path}))
	default:
		return sdk.Response{}, false, nil
	}
	return res, true, err
}

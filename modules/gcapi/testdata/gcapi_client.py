#!/usr/bin/env python3
"""A GroupCamp API script, as a customer writes one, with nothing but the standard library.

It provisions a project, adds a user to it, lists the time logs of the last days (following
next_page) and reads the project's budget. The host, keys and people come from the
environment (GCAPI_BASE, GCAPI_PROV_KEY, GCAPI_PROV_SECRET, GCAPI_REP_KEY, GCAPI_REP_SECRET,
GCAPI_ACTING, GCAPI_MEMBER, GCAPI_DAY, GCAPI_PROJECT). It prints one JSON line of what it saw
and exits 0, or prints what failed and exits 1.
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["GCAPI_BASE"]
ACTING = os.environ["GCAPI_ACTING"]


def call(app, key, secret, method, path, body="", query=""):
    """Signs METHOD::path::body with HMAC-SHA1 (base64), as GroupCamp's Auth.md says."""
    text = method + "::" + path + "::" + body
    sig = base64.b64encode(hmac.new(secret.encode(), text.encode(), hashlib.sha1).digest()).decode()
    url = BASE + path + ("?" + query if query else "")
    req = urllib.request.Request(url, data=body.encode() if body else None, method=method)
    req.add_header("X-Gcmp-Application", app)
    req.add_header("X-Gcmp-Acting", ACTING)
    req.add_header("Authorization", "GCMP " + key + ":" + sig)
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def prov(method, path, body=""):
    return call("provisioning-1", os.environ["GCAPI_PROV_KEY"], os.environ["GCAPI_PROV_SECRET"], method, path, body)


def rep(path, query=""):
    return call("reporting-1", os.environ["GCAPI_REP_KEY"], os.environ["GCAPI_REP_SECRET"], "GET", path, "", query)


def follow(url):
    """next_page is an absolute URL: its path is signed, its query string is not."""
    parts = urllib.parse.urlsplit(url)
    return rep(parts.path, parts.query)


def fail(what, status, data):
    print(json.dumps({"failed": what, "status": status, "answer": data}))
    sys.exit(1)


def main():
    seen = {}
    status, data = prov("POST", "/core/v1/group/project", json.dumps({"name": os.environ["GCAPI_PROJECT"], "access": "invite", "with_guests": False}))
    if status != 200:
        fail("create project", status, data)
    group_id = data["result"]["id"]
    seen["group"] = group_id
    # Again: the same name is refused, as GroupCamp's group.py expects.
    status, data = prov("POST", "/core/v1/group/project", json.dumps({"name": os.environ["GCAPI_PROJECT"]}))
    if status != 400 or data["error"] != "bad_request" or data["errors"][0]["field"] != "name" or data["errors"][0]["error"] != "already_use":
        fail("duplicate project", status, data)
    status, data = prov("PUT", "/core/v1/group/" + group_id + "/user/" + os.environ["GCAPI_MEMBER"])
    if status != 200 or data["result"]["value"] != "ok":
        fail("add member", status, data)
    day = os.environ["GCAPI_DAY"]
    start = (datetime.date.fromisoformat(day) - datetime.timedelta(days=6)).isoformat()
    status, data = rep("/track/v1/timelogs", "start=" + start + "&end=" + day)
    if status != 200:
        fail("timelogs", status, data)
    logs = list(data["result"])
    pages = data["page_count"]
    while "next_page" in data:
        status, data = follow(data["next_page"])
        if status != 200:
            fail("next page", status, data)
        logs.extend(data["result"])
    seen["pages"] = pages
    seen["timelogs"] = len(logs)
    seen["seconds"] = sum(log["duration"]["s"] for log in logs)
    budget_of = os.environ.get("GCAPI_BUDGET_GROUP", "")
    if budget_of:
        status, data = rep("/track/v1/budget/" + budget_of, "with_detail=1&with_spent=1")
        if status != 200:
            fail("budget", status, data)
        seen["budget_work"] = data["result"]["work"]
        seen["budget_amount"] = data["result"]["amount"]
    print(json.dumps(seen))


main()

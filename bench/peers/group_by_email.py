#!/usr/bin/env python3
"""The peer a CRM admin would write without LeadTools: Python standard library only.

Loads a lead export (a JSON array, a Salesforce REST result {"records": [...]}, or JSON Lines),
normalises Email (strip spaces, lower case), groups the leads by it and counts the groups holding
more than one lead. Prints one JSON line: records, groups, duplicate_groups, duplicate_leads and
this process's peak resident memory (ru_maxrss).

    python3 bench/peers/group_by_email.py bench/data/leads-10000-s42.json
"""
import json
import resource
import sys


def load(path):
    with open(path, "r", encoding="utf-8-sig") as f:
        if path.endswith((".jsonl", ".ndjson")):
            return [json.loads(line) for line in f if line.strip()]
        data = json.load(f)
    if isinstance(data, dict):
        data = data.get("records") or data.get("value") or []
    return data


def main(argv):
    if len(argv) != 2:
        print("usage: group_by_email.py FILE", file=sys.stderr)
        return 2
    leads = load(argv[1])
    groups = {}
    for lead in leads:
        email = lead.get("Email")
        if not email:
            continue
        key = email.strip().lower()
        groups.setdefault(key, []).append(lead.get("Id"))
    dup = [ids for ids in groups.values() if len(ids) > 1]
    print(json.dumps({
        "records": len(leads),
        "groups": len(groups),
        "duplicate_groups": len(dup),
        "duplicate_leads": sum(len(ids) for ids in dup),
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

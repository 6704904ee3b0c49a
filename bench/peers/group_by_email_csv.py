#!/usr/bin/env python3
"""The CSV peer a CRM admin would write without LeadTools: Python standard library only.

Reads a Data Loader style lead export (CSV with a header row: Id, Email, ...), normalises Email (strip
spaces, lower case), groups the leads by it and counts the groups holding more than one lead. Prints one
JSON line: records, groups, duplicate_groups, duplicate_leads and this process's peak resident memory.

    python3 bench/peers/group_by_email_csv.py bench/data/leads-10000-s42.csv
"""
import csv
import json
import resource
import sys


def main(argv):
    if len(argv) != 2:
        print("usage: group_by_email_csv.py FILE", file=sys.stderr)
        return 2
    groups = {}
    records = 0
    with open(argv[1], "r", encoding="utf-8-sig", newline="") as f:
        for lead in csv.DictReader(f):
            records += 1
            email = lead.get("Email")
            # Data Loader writes null as #N/A.
            if not email or email == "#N/A":
                continue
            key = email.strip().lower()
            if not key:
                continue
            groups.setdefault(key, []).append(lead.get("Id"))
    dup = [ids for ids in groups.values() if len(ids) > 1]
    print(json.dumps({
        "records": records,
        "groups": len(groups),
        "duplicate_groups": len(dup),
        "duplicate_leads": sum(len(ids) for ids in dup),
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

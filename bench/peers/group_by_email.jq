# The jq peer: group leads by normalised Email (lower case; one leading/trailing space trimmed, as
# jq 1.6 has no trim) and count the groups with more than one lead.
#   jq -f bench/peers/group_by_email.jq bench/data/leads-10000-s42.json
[ .[] | .Email | select(. != null and . != "") | ascii_downcase | ltrimstr(" ") | rtrimstr(" ") ]
| group_by(.)
| map(select(length > 1))
| length

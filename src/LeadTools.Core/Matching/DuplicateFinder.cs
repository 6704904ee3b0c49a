using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LeadTools.Core.Records;

namespace LeadTools.Core.Matching
{
    /// <summary>A matched pair inside a group: record ids, the score and the rule that fired.</summary>
    public sealed class DuplicatePair
    {
        /// <summary>Creates a pair.</summary>
        public DuplicatePair(string a, string b, double score, string rule)
        {
            A = a;
            B = b;
            Score = score;
            Rule = rule;
        }

        /// <summary>First record's id.</summary>
        public string A { get; }
        /// <summary>Second record's id.</summary>
        public string B { get; }
        /// <summary>Score 0-100.</summary>
        public double Score { get; }
        /// <summary>The rule that matched.</summary>
        public string Rule { get; }
    }

    /// <summary>A transitive cluster of duplicates (union-find) with the pairs that joined it and a suggested survivor.</summary>
    public sealed class DuplicateGroup
    {
        /// <summary>Creates a group.</summary>
        public DuplicateGroup(int groupId, IReadOnlyList<CrmRecord> members, IReadOnlyList<DuplicatePair> pairs, string? suggestedSurvivorId)
        {
            GroupId = groupId;
            Members = members;
            Pairs = pairs;
            SuggestedSurvivorId = suggestedSurvivorId;
        }

        /// <summary>1-based group number in the run.</summary>
        public int GroupId { get; }
        /// <summary>The records in the group.</summary>
        public IReadOnlyList<CrmRecord> Members { get; }
        /// <summary>The matched pairs that joined the group (a spanning set: pairs already joined transitively are not re-scored).</summary>
        public IReadOnlyList<DuplicatePair> Pairs { get; }
        /// <summary>The suggested survivor: oldest CreatedDate, then most non-blank fields, then smallest id.</summary>
        public string? SuggestedSurvivorId { get; }
        /// <summary>Number of members.</summary>
        public int Count => Members.Count;
        /// <summary>Lowest pair score.</summary>
        public double MinScore => Pairs.Count == 0 ? 0 : Pairs.Min(p => p.Score);
        /// <summary>The distinct rules that matched.</summary>
        public string Rules => string.Join(", ", Pairs.Select(p => p.Rule).Distinct());
    }

    /// <summary>Statistics of a run.</summary>
    public sealed class DuplicateRunStats
    {
        /// <summary>Records read.</summary>
        public long Records { get; internal set; }
        /// <summary>Pairs scored.</summary>
        public long Comparisons { get; internal set; }
        /// <summary>Blocks larger than the cap (only their first <see cref="DuplicateFinder.MaxBlockSize"/> records are compared).</summary>
        public List<string> CutBlocks { get; } = new List<string>();
    }

    /// <summary>
    /// Finds duplicate groups with blocking (SPEC 6.2): records are compared only inside blocks that share a
    /// normalised email, the last 7 digits of a phone, or a name key (first 4 letters of the last name plus the
    /// initial of the canonical first name, both orientations for transposed names). Never all pairs.
    /// </summary>
    public sealed class DuplicateFinder
    {
        private readonly MatchStrategy _strategy;

        /// <summary>Creates a finder for a strategy.</summary>
        public DuplicateFinder(MatchStrategy strategy) => _strategy = strategy;

        /// <summary>Blocks larger than this are cut (reported in <see cref="DuplicateRunStats.CutBlocks"/>).</summary>
        public int MaxBlockSize { get; set; } = 500;

        /// <summary>Only records of the same object type are compared (lead &lt;-&gt; contact is compared when false).</summary>
        public bool SameTypeOnly { get; set; }

        /// <summary>Statistics of the last run.</summary>
        public DuplicateRunStats Stats { get; private set; } = new DuplicateRunStats();

        /// <summary>Block keys of a normalised record.</summary>
        public IEnumerable<string> BlockKeys(MatchKey k)
        {
            var fields = new HashSet<MatchField>(_strategy.UsedFields);
            if (fields.Contains(MatchField.Email) && k[MatchField.Email].Length > 0) yield return "E:" + k[MatchField.Email];
            var phone = k[MatchField.Phone];
            if (fields.Contains(MatchField.Phone) && phone.Length >= 8) yield return "P:" + phone.Substring(phone.Length - 7);
            if (fields.Contains(MatchField.LastName) && fields.Contains(MatchField.FirstName))
            {
                var first = k[MatchField.FirstName];
                var last = k[MatchField.LastName];
                if (first.Length > 0 && last.Length > 0)
                {
                    var cf = Nicknames.Canonical(first);
                    yield return "N:" + Prefix(last, 4) + "|" + cf[0];
                    yield return "N:" + Prefix(first, 4) + "|" + last[0];
                    if (cf[0] != first[0]) yield return "N:" + Prefix(last, 4) + "|" + first[0];
                    yield return "S:" + Soundex(last) + "|" + cf[0];
                }
            }
            if (fields.Contains(MatchField.BirthDate) && k[MatchField.BirthDate].Length > 0) yield return "D:" + k[MatchField.BirthDate];
        }

        /// <summary>American Soundex of a normalised name (letter plus three digits), for blocking.</summary>
        public static string Soundex(string s)
        {
            var chars = new char[4];
            var n = 0;
            var last = '\0';
            foreach (var c in s)
            {
                if (c < 'a' || c > 'z') continue;
                var code = "01230120022455012623010202"[c - 'a'];
                if (n == 0) { chars[n++] = char.ToUpperInvariant(c); last = code; continue; }
                if (code != '0' && code != last) { chars[n++] = code; if (n == 4) break; }
                if (c != 'h' && c != 'w') last = code;
            }
            if (n == 0) return string.Empty;
            while (n < 4) chars[n++] = '0';
            return new string(chars);
        }

        private static string Prefix(string s, int n) => s.Length <= n ? s : s.Substring(0, n);

        /// <summary>Finds groups among the records (at least two members each), ordered by first appearance.</summary>
        public IReadOnlyList<DuplicateGroup> Find(IEnumerable<CrmRecord> records, Action<long>? progress = null)
        {
            var stats = new DuplicateRunStats();
            Stats = stats;
            var keys = new List<MatchKey>();
            var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (var r in records)
            {
                var k = _strategy.Normalise(r);
                var idx = keys.Count;
                keys.Add(k);
                foreach (var b in BlockKeys(k))
                {
                    if (!blocks.TryGetValue(b, out var list)) blocks[b] = list = new List<int>(2);
                    list.Add(idx);
                }
                if (progress != null && (idx & 0xFFFF) == 0) progress(idx);
            }
            stats.Records = keys.Count;

            var parent = new int[keys.Count];
            for (var i = 0; i < parent.Length; i++) parent[i] = i;
            int FindRoot(int x)
            {
                while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
                return x;
            }

            var edges = new List<(int A, int B, MatchResult M)>();
            long comparisons = 0;
            foreach (var kv in blocks)
            {
                var list = kv.Value;
                if (list.Count < 2) continue;
                var n = list.Count;
                if (n > MaxBlockSize) { stats.CutBlocks.Add(kv.Key + " (" + n + " records)"); n = MaxBlockSize; }
                for (var i = 0; i < n; i++)
                {
                    var a = list[i];
                    for (var j = i + 1; j < n; j++)
                    {
                        var b = list[j];
                        if (FindRoot(a) == FindRoot(b)) continue;
                        if (SameTypeOnly && !string.Equals(keys[a].Record.ObjectType, keys[b].Record.ObjectType, StringComparison.OrdinalIgnoreCase)) continue;
                        comparisons++;
                        var m = _strategy.Match(keys[a], keys[b]);
                        if (m == null) continue;
                        parent[FindRoot(a)] = FindRoot(b);
                        edges.Add((a, b, m));
                    }
                }
            }
            stats.Comparisons = comparisons;

            var members = new Dictionary<int, List<int>>();
            var order = new List<int>();
            for (var i = 0; i < keys.Count; i++)
            {
                var root = FindRoot(i);
                if (!members.TryGetValue(root, out var ms)) { members[root] = ms = new List<int>(); order.Add(root); }
                ms.Add(i);
            }
            var pairsByRoot = new Dictionary<int, List<DuplicatePair>>();
            foreach (var e in edges)
            {
                var root = FindRoot(e.A);
                if (!pairsByRoot.TryGetValue(root, out var pl)) pairsByRoot[root] = pl = new List<DuplicatePair>();
                pl.Add(new DuplicatePair(IdOf(keys[e.A].Record, e.A), IdOf(keys[e.B].Record, e.B), Math.Round(e.M.Score, 1), e.M.Rule));
            }
            var groups = new List<DuplicateGroup>();
            foreach (var root in order)
            {
                var ms = members[root];
                if (ms.Count < 2) continue;
                var recs = ms.Select(i => keys[i].Record).ToList();
                var survivor = SuggestSurvivor(recs);
                groups.Add(new DuplicateGroup(groups.Count + 1, recs, pairsByRoot[root], survivor == null ? null : IdOf(survivor, ms[recs.IndexOf(survivor)])));
            }
            return groups;
        }

        private static string IdOf(CrmRecord r, int index) => r.Id ?? "#" + (index + 1).ToString(CultureInfo.InvariantCulture);

        /// <summary>The suggested survivor: oldest CreatedDate (createdon), then most non-blank fields, then smallest id (ordinal).</summary>
        public static CrmRecord? SuggestSurvivor(IReadOnlyList<CrmRecord> records)
        {
            CrmRecord? best = null;
            DateTimeOffset bestDate = DateTimeOffset.MaxValue;
            var bestFilled = -1;
            foreach (var r in records)
            {
                var d = CreatedOf(r);
                var filled = 0;
                for (var i = 0; i < r.Count; i++)
                    if (!string.IsNullOrWhiteSpace(RecordValue.ToText(r.ValueAt(i)))) filled++;
                var better = best == null
                    || d < bestDate
                    || (d == bestDate && filled > bestFilled)
                    || (d == bestDate && filled == bestFilled && string.CompareOrdinal(r.Id ?? string.Empty, best.Id ?? string.Empty) < 0);
                if (better) { best = r; bestDate = d; bestFilled = filled; }
            }
            return best;
        }

        private static DateTimeOffset CreatedOf(CrmRecord r)
        {
            var s = r.GetString("CreatedDate") ?? r.GetString("createdon") ?? r.GetString("cdate");
            return s != null && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : DateTimeOffset.MaxValue;
        }
    }
}

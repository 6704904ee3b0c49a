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
        public DuplicateGroup(int groupId, IReadOnlyList<CrmRecord> members, IReadOnlyList<DuplicatePair> pairs, string? suggestedSurvivorId, IReadOnlyList<int>? memberIndexes = null)
        {
            GroupId = groupId;
            Members = members;
            Pairs = pairs;
            SuggestedSurvivorId = suggestedSurvivorId;
            MemberIndexes = memberIndexes ?? Array.Empty<int>();
        }

        /// <summary>0-based positions of the members in the input, in the order of <see cref="Members"/> (lets a caller map back to its own objects).</summary>
        public IReadOnlyList<int> MemberIndexes { get; }

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
        public DuplicateFinder(MatchStrategy strategy)
        {
            _strategy = strategy;
            _fields = new HashSet<MatchField>(strategy.UsedFields);
            _companions = PlanNameBlocks(strategy, out _bareNameBlocks);
        }

        private readonly HashSet<MatchField> _fields;
        private readonly MatchCondition[][] _companions;
        private readonly bool _bareNameBlocks;

        /// <summary>
        /// Name blocks (last-name prefix + first initial) grow with the size of the export: a million leads hold
        /// thousands of "smit|j". They are only needed for rules that the email, phone and birth-date blocks do not
        /// already cover; when each such rule also requires another field (Salesforce: title and company, street
        /// and city, ...), the name block is split by a key of that field (its first characters; the value itself
        /// for exact conditions), choosing as few fields as cover all those rules. A rule with only names (or that
        /// cannot be keyed) keeps the plain name blocks.
        /// </summary>
        private static MatchCondition[][] PlanNameBlocks(MatchStrategy strategy, out bool bare)
        {
            bare = false;
            var uncovered = new List<MatchRule>();
            foreach (var rule in strategy.Rules)
            {
                if (rule.Conditions.Any(CoveredByBlock)) continue;
                var hasNames = rule.Conditions.Any(c => c.Field == MatchField.FirstName) && rule.Conditions.Any(c => c.Field == MatchField.LastName);
                if (!hasNames || !rule.Conditions.Any(IsCompanion)) { bare = true; continue; }
                uncovered.Add(rule);
            }
            var chosen = new List<MatchCondition[]>();
            if (bare) return chosen.ToArray();
            while (uncovered.Count > 0)
            {
                // The companion condition shared by the most remaining rules; ties go to the more selective field.
                var best = uncovered.SelectMany(r => r.Conditions.Where(IsCompanion))
                    .GroupBy(c => (c.Field, c.Method, c.Characters))
                    .OrderByDescending(g => uncovered.Count(r => r.Conditions.Any(c => (c.Field, c.Method, c.Characters) == g.Key)))
                    .ThenBy(g => Selectivity(g.Key.Field))
                    .First();
                // The key is every keyable condition the covered rules all share (Title+Company: both), not just one.
                var covered = uncovered.Where(r => r.Conditions.Any(c => (c.Field, c.Method, c.Characters) == best.Key)).ToList();
                var shared = covered[0].Conditions.Where(IsCompanion)
                    .Where(c => covered.All(r => r.Conditions.Any(o => (o.Field, o.Method, o.Characters) == (c.Field, c.Method, c.Characters))))
                    .GroupBy(c => (c.Field, c.Method, c.Characters)).Select(g => g.First()).ToArray();
                chosen.Add(shared);
                uncovered.RemoveAll(r => covered.Contains(r));
            }
            return chosen.ToArray();
        }

        // A condition the email, phone or birth-date blocks already guarantee to share.
        private static bool CoveredByBlock(MatchCondition c)
        {
            if (c.MatchBlank) return false;
            switch (c.Field)
            {
                case MatchField.Email: return c.Method == MatchMethod.Exact;
                case MatchField.BirthDate: return c.Method == MatchMethod.Exact;
                case MatchField.Phone:
                    return c.Method == MatchMethod.Exact
                        || (c.Method == MatchMethod.FuzzyPhone && c.Threshold >= 80)
                        || (c.Method == MatchMethod.SameLastCharacters && c.Characters >= 7);
                default: return false;
            }
        }

        private static bool IsCompanion(MatchCondition c) =>
            !c.MatchBlank && c.Field != MatchField.FirstName && c.Field != MatchField.LastName && c.Method != MatchMethod.Initials && c.Method != MatchMethod.Nickname && (c.Method != MatchMethod.SameLastCharacters);

        private static int Selectivity(MatchField f) => f switch
        {
            MatchField.PostalCode => 0,
            MatchField.Street => 1,
            MatchField.City => 2,
            MatchField.Email => 3,
            MatchField.Phone => 4,
            MatchField.BirthDate => 5,
            MatchField.Company => 6,
            _ => 7,
        };

        // The part of a normalised value two records must share for the condition to hold (approximately, for fuzzy methods).
        private static string CompanionKey(MatchCondition c, string value)
        {
            if (value.Length == 0) return string.Empty;
            if (c.Method == MatchMethod.Exact) return value;
            if (c.Method == MatchMethod.SameFirstCharacters) return Prefix(value, c.Characters);
            switch (c.Field)
            {
                case MatchField.Street: return Prefix(value, 3);
                case MatchField.PostalCode: return Prefix(value, 3);
                case MatchField.City: return Prefix(value, 2);
                case MatchField.Email: return Prefix(value, 3);
                case MatchField.BirthDate: return Prefix(value, 4);
                case MatchField.Phone: return value.Length <= 4 ? value : value.Substring(value.Length - 4);
                default: return Prefix(value, 1);
            }
        }

        /// <summary>Blocks larger than this are cut (reported in <see cref="DuplicateRunStats.CutBlocks"/>).</summary>
        public int MaxBlockSize { get; set; } = 500;

        /// <summary>Only records of the same object type are compared (lead &lt;-&gt; contact is compared when false).</summary>
        public bool SameTypeOnly { get; set; }

        /// <summary>Stops a run between records and between blocks (throws <see cref="OperationCanceledException"/>).</summary>
        public System.Threading.CancellationToken Cancellation { get; set; }

        /// <summary>Statistics of the last run.</summary>
        public DuplicateRunStats Stats { get; private set; } = new DuplicateRunStats();

        /// <summary>Block keys of a normalised record.</summary>
        public IEnumerable<string> BlockKeys(MatchKey k)
        {
            var fields = _fields;
            if (fields.Contains(MatchField.Email) && k[MatchField.Email].Length > 0) yield return "E:" + k[MatchField.Email];
            var phone = k[MatchField.Phone];
            if (fields.Contains(MatchField.Phone) && phone.Length >= 8) yield return "P:" + phone.Substring(phone.Length - 7);
            if (fields.Contains(MatchField.LastName) && fields.Contains(MatchField.FirstName))
            {
                var first = k[MatchField.FirstName];
                var last = k[MatchField.LastName];
                if (first.Length > 0 && last.Length > 0 && (_bareNameBlocks || _companions.Length > 0))
                {
                    var cf = Nicknames.Canonical(first);
                    var names = new List<string>(4)
                    {
                        "N:" + Prefix(last, 4) + "|" + cf[0],
                        "N:" + Prefix(first, 4) + "|" + last[0],
                        "S:" + Soundex(last) + "|" + cf[0],
                    };
                    if (cf[0] != first[0]) names.Add("N:" + Prefix(last, 4) + "|" + first[0]);
                    if (_bareNameBlocks)
                    {
                        foreach (var n in names) yield return n;
                    }
                    else
                    {
                        for (var i = 0; i < _companions.Length; i++)
                        {
                            string? suffix = "#" + i.ToString(CultureInfo.InvariantCulture);
                            foreach (var c in _companions[i])
                            {
                                var part = CompanionKey(c, k[c.Field]);
                                if (part.Length == 0) { suffix = null; break; } // blank never matches: no rule needing this field can hold
                                suffix += ":" + part;
                            }
                            if (suffix == null) continue;
                            foreach (var n in names) yield return n + suffix;
                        }
                    }
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

        /// <summary>
        /// Keep each input record whole in the groups (the default). When false, only the id, the object type, the
        /// fields the strategy reads and the creation date are kept (the bulk route: a million records in memory).
        /// </summary>
        public bool RetainRecords { get; set; } = true;

        private const int BatchSize = 2048;

        /// <summary>
        /// Finds groups among the records (at least two members each), ordered by first appearance. The records are
        /// enumerated on the calling thread (so a reader's error callback stays there) while a second thread
        /// normalises them and computes their block keys.
        /// </summary>
        public IReadOnlyList<DuplicateGroup> Find(IEnumerable<CrmRecord> records, Action<long>? progress = null)
        {
            var stats = new DuplicateRunStats();
            Stats = stats;
            var keys = new List<MatchKey>();
            var filled = new List<int>();
            var index = new BlockIndex();
            var pool = new StringPool();
            var token = Cancellation;

            using (var queue = new System.Collections.Concurrent.BlockingCollection<CrmRecord[]>(8))
            {
                var worker = System.Threading.Tasks.Task.Run(() =>
                {
                    foreach (var batch in queue.GetConsumingEnumerable())
                    {
                        foreach (var r in batch)
                        {
                            if (r == null) break;
                            var k = _strategy.Normalise(r);
                            var idx = keys.Count;
                            filled.Add(Filled(r));
                            if (!RetainRecords)
                            {
                                // A million records hold the same first names, cities and titles many times over: keep one copy.
                                var values = k.Values;
                                for (var f = 0; f < values.Length; f++)
                                {
                                    if (values[f].Length > 0 && PooledFields[f]) values[f] = pool.Get(values[f]);
                                }
                                k = k.WithRecord(Trim(r, pool));
                            }
                            keys.Add(k);
                            foreach (var b in BlockKeys(k)) index.Add(Hash(b), idx);
                        }
                    }
                });
                long count = 0;
                var buffer = new CrmRecord[BatchSize];
                var n = 0;
                try
                {
                    foreach (var r in records)
                    {
                        buffer[n++] = r;
                        if (n == BatchSize)
                        {
                            queue.Add(buffer, token);
                            buffer = new CrmRecord[BatchSize];
                            n = 0;
                        }
                        if ((++count & 0x3FFF) == 0)
                        {
                            token.ThrowIfCancellationRequested();
                            if (worker.IsFaulted) break;
                            progress?.Invoke(count);
                        }
                    }
                    if (n > 0) queue.Add(buffer, token);
                }
                finally
                {
                    queue.CompleteAdding();
                    try
                    {
                        worker.Wait();
                    }
                    catch (AggregateException ex) when (ex.InnerException != null)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                    }
                }
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
            var scratch = _strategy.CreateScratch();
            long comparisons = 0;
            foreach (var block in index.Blocks())
            {
                token.ThrowIfCancellationRequested();
                var n = block.Count;
                if (n > MaxBlockSize)
                {
                    stats.CutBlocks.Add(KeyOf(keys[block.Array![block.Offset]], index.HashAt(block)) + " (" + n.ToString(CultureInfo.InvariantCulture) + " records)");
                    n = MaxBlockSize;
                }
                for (var i = 0; i < n; i++)
                {
                    var a = block.Array![block.Offset + i];
                    for (var j = i + 1; j < n; j++)
                    {
                        var b = block.Array[block.Offset + j];
                        if (a == b || FindRoot(a) == FindRoot(b)) continue;
                        if (SameTypeOnly && !string.Equals(keys[a].Record.ObjectType, keys[b].Record.ObjectType, StringComparison.OrdinalIgnoreCase)) continue;
                        comparisons++;
                        var m = _strategy.Match(keys[a], keys[b], scratch);
                        if (m == null) continue;
                        parent[FindRoot(a)] = FindRoot(b);
                        edges.Add((a, b, m));
                    }
                }
            }
            stats.Comparisons = comparisons;

            // Sizes first, so the singletons (most records) get no member list.
            var size = new int[keys.Count];
            for (var i = 0; i < keys.Count; i++) size[FindRoot(i)]++;
            var members = new Dictionary<int, List<int>>();
            var order = new List<int>();
            for (var i = 0; i < keys.Count; i++)
            {
                var root = FindRoot(i);
                if (size[root] < 2) continue;
                if (!members.TryGetValue(root, out var ms)) { members[root] = ms = new List<int>(size[root]); order.Add(root); }
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
                var best = SuggestSurvivor(recs, ms.Select(i => filled[i]).ToList());
                groups.Add(new DuplicateGroup(groups.Count + 1, recs, pairsByRoot[root], best < 0 ? null : IdOf(recs[best], ms[best]), ms));
            }
            return groups;
        }

        /// <summary>The key string of a record whose key hashes to <paramref name="hash"/> (for messages about cut blocks).</summary>
        private string KeyOf(MatchKey k, long hash)
        {
            foreach (var b in BlockKeys(k)) if (Hash(b) == hash) return b;
            return hash.ToString("x16", CultureInfo.InvariantCulture);
        }

        // 64-bit FNV-1a: block keys are kept as hashes, not strings (millions of keys). A collision only adds comparisons.
        private static long Hash(string s)
        {
            var h = 14695981039346656037UL;
            foreach (var c in s)
            {
                h = (h ^ c) * 1099511628211UL;
            }
            return unchecked((long)h);
        }

        private static int Filled(CrmRecord r)
        {
            var filled = 0;
            for (var i = 0; i < r.Count; i++)
            {
                var v = r.ValueAt(i);
                if (v is string s ? !string.IsNullOrWhiteSpace(s) : !string.IsNullOrWhiteSpace(RecordValue.ToText(v))) filled++;
            }
            return filled;
        }

        private static readonly string[] CreatedFields = { "CreatedDate", "createdon", "cdate" };

        // Fields whose values repeat across records (names, titles, companies, cities): shared, not copied.
        private static readonly bool[] PooledFields = CreatePooledFields();

        private static bool[] CreatePooledFields()
        {
            var pooled = new bool[MatchStrategy.FieldCount];
            foreach (var f in new[] { MatchField.FirstName, MatchField.LastName, MatchField.Company, MatchField.Title, MatchField.City, MatchField.PostalCode, MatchField.BirthDate })
                pooled[(int)f] = true;
            return pooled;
        }

        // The id, the type, the fields the strategy can read and the creation date: what a group needs to be reviewed.
        private CrmRecord Trim(CrmRecord r, StringPool pool)
        {
            var t = new CrmRecord(r.ObjectType, _fields.Count + 2) { SourceFile = r.SourceFile, SourceRecordNumber = r.SourceRecordNumber, SourceLine = r.SourceLine };
            var id = r.Id;
            if (id != null) t.Add("Id", id);
            foreach (var f in _fields)
            {
                foreach (var name in _strategy.FieldNames[f])
                {
                    var i = r.IndexOf(name);
                    if (i < 0 || t.Has(r.NameAt(i))) continue;
                    var v = r.ValueAt(i);
                    t.Add(pool.Get(r.NameAt(i)), v is string sv && PooledFields[(int)f] ? pool.Get(sv) : v);
                }
            }
            foreach (var name in CreatedFields)
            {
                var i = r.IndexOf(name);
                if (i >= 0 && !t.Has(r.NameAt(i))) t.Add(pool.Get(r.NameAt(i)), r.ValueAt(i));
            }
            return t;
        }

        /// <summary>One instance per distinct string (used by the single indexing thread only).</summary>
        private sealed class StringPool
        {
            private readonly Dictionary<string, string> _strings = new Dictionary<string, string>(StringComparer.Ordinal);

            public string Get(string s)
            {
                if (_strings.TryGetValue(s, out var shared)) return shared;
                if (_strings.Count < 4_000_000) _strings[s] = s;
                return s;
            }
        }

        /// <summary>(hash, record) pairs, sorted once: runs of equal hashes are the blocks.</summary>
        private sealed class BlockIndex
        {
            private long[] _hashes = new long[1024];
            private int[] _records = new int[1024];
            private int _count;

            public void Add(long hash, int record)
            {
                if (_count == _hashes.Length)
                {
                    Array.Resize(ref _hashes, _count * 2);
                    Array.Resize(ref _records, _count * 2);
                }
                _hashes[_count] = hash;
                _records[_count] = record;
                _count++;
            }

            public long HashAt(ArraySegment<int> block) => _hashes[block.Offset];

            /// <summary>Blocks of two or more records, each in input order, ordered by their first record.</summary>
            public IEnumerable<ArraySegment<int>> Blocks()
            {
                // Sorting by (hash, record) keeps each block in input order; blocks then go in order of first appearance.
                Array.Sort(_hashes, _records, 0, _count);
                var runs = new List<(int First, int Start, int Length)>();
                var start = 0;
                for (var i = 1; i <= _count; i++)
                {
                    if (i < _count && _hashes[i] == _hashes[start]) continue;
                    var len = i - start;
                    if (len > 1)
                    {
                        Array.Sort(_records, start, len);
                        runs.Add((_records[start], start, len));
                    }
                    start = i;
                }
                runs.Sort((x, y) => x.First != y.First ? x.First.CompareTo(y.First) : x.Start.CompareTo(y.Start));
                foreach (var run in runs) yield return new ArraySegment<int>(_records, run.Start, run.Length);
            }
        }

        private static string IdOf(CrmRecord r, int index) => r.Id ?? "#" + (index + 1).ToString(CultureInfo.InvariantCulture);

        /// <summary>The suggested survivor: oldest CreatedDate (createdon), then most non-blank fields, then smallest id (ordinal).</summary>
        public static CrmRecord? SuggestSurvivor(IReadOnlyList<CrmRecord> records)
        {
            var best = SuggestSurvivor(records, records.Select(Filled).ToList());
            return best < 0 ? null : records[best];
        }

        private static int SuggestSurvivor(IReadOnlyList<CrmRecord> records, IReadOnlyList<int> filledCounts)
        {
            var best = -1;
            DateTimeOffset bestDate = DateTimeOffset.MaxValue;
            var bestFilled = -1;
            for (var i = 0; i < records.Count; i++)
            {
                var r = records[i];
                var d = CreatedOf(r);
                var filled = filledCounts[i];
                var better = best < 0
                    || d < bestDate
                    || (d == bestDate && filled > bestFilled)
                    || (d == bestDate && filled == bestFilled && string.CompareOrdinal(r.Id ?? string.Empty, records[best].Id ?? string.Empty) < 0);
                if (better) { best = i; bestDate = d; bestFilled = filled; }
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

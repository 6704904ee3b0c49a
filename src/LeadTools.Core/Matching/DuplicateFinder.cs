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
        /// <summary>The rule that matched ("Probabilistic" for the learned strategy).</summary>
        public string Rule { get; }
        /// <summary>The probabilistic strategy's match weight in bits (prior plus field weights), else null.</summary>
        public double? MatchWeight { get; internal set; }
        /// <summary>The probabilistic strategy's weight per field (level, weight, values), else null.</summary>
        public IReadOnlyList<FieldWeight>? Weights { get; internal set; }
        /// <summary>The field weights in one line ("FirstName exact +5.1, Email different -6.2"), empty for a rule strategy.</summary>
        public string Explanation => Weights == null ? string.Empty : string.Join(", ", Weights.Where(w => w.Level != "blank").Select(w => w.ToString()));
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
        /// <summary>
        /// Wall time of each stage of the run, in order ("read+normalise+index", "sort blocks", "compare", "groups"):
        /// where the time of a large run goes (Find-CrmDuplicate -Verbose prints it).
        /// </summary>
        public List<KeyValuePair<string, TimeSpan>> Stages { get; } = new List<KeyValuePair<string, TimeSpan>>();

        /// <summary>
        /// Of the first stage (records are read and normalised on the calling thread): the time the second thread spent
        /// pooling, trimming and indexing them (the rest of its time it waited for records), and the time the reading
        /// thread waited for it (a full queue).
        /// </summary>
        public TimeSpan IndexingBusy { get; internal set; }

        /// <summary>See <see cref="IndexingBusy"/>.</summary>
        public TimeSpan ReaderWaited { get; internal set; }

        /// <summary>Groups that held two records which must not be linked and were clustered again inside (group safety).</summary>
        public int SplitGroups { get; internal set; }

        /// <summary>Group numbers of the groups larger than <see cref="DuplicateFinder.MaxGroupSize"/>.</summary>
        public List<int> OversizedGroups { get; } = new List<int>();

        internal void Stage(string name, System.Diagnostics.Stopwatch clock)
        {
            Stages.Add(new KeyValuePair<string, TimeSpan>(name, clock.Elapsed));
            clock.Restart();
        }
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
            PlanOrganisationBlocks(strategy, out _companyBlocks, out _streetBlocks, out _streetWithPostalCode);
        }

        private readonly bool _companyBlocks;
        private readonly bool _streetBlocks;
        private readonly bool _streetWithPostalCode;

        /// <summary>Characters of the normalised company (site, account) name that make its block key.</summary>
        internal const int CompanyKeyLength = 5;
        /// <summary>Characters of the normalised street (house number first) that make its block key.</summary>
        internal const int StreetKeyLength = 6;

        /// <summary>
        /// Organisation data (accounts, sites) has no person names to block on: a rule that no email, phone or
        /// birth-date block covers and that does not compare first and last names gets a company-name block (the
        /// name's first characters) when it compares the company, and a street block (the street's first characters,
        /// with the postal code when the rule needs it too) when it compares the street.
        /// </summary>
        private static void PlanOrganisationBlocks(MatchStrategy strategy, out bool company, out bool street, out bool streetWithPostal)
        {
            company = street = false;
            streetWithPostal = true;
            foreach (var rule in strategy.Rules)
            {
                if (rule.Conditions.Any(CoveredByBlock)) continue;
                var hasNames = rule.Conditions.Any(c => c.Field == MatchField.FirstName) && rule.Conditions.Any(c => c.Field == MatchField.LastName);
                if (hasNames) continue;
                var keyable = rule.Conditions.Where(c => !c.MatchBlank).ToList();
                if (keyable.Any(c => c.Field == MatchField.Company)) company = true;
                if (keyable.Any(c => c.Field == MatchField.Street))
                {
                    street = true;
                    if (!keyable.Any(c => c.Field == MatchField.PostalCode)) streetWithPostal = false;
                }
            }
            if (!street) streetWithPostal = false;
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

        /// <summary>The value frequencies of the last run's data (null when the strategy has no rare-value limits).</summary>
        public ValueFrequencies? Frequencies { get; private set; }

        /// <summary>Statistics of the last run.</summary>
        public DuplicateRunStats Stats { get; private set; } = new DuplicateRunStats();

        /// <summary>Block keys of a normalised record.</summary>
        public IEnumerable<string> BlockKeys(MatchKey k) => BlockKeys(k.Values);

        private IEnumerable<string> BlockKeys(string[] k)
        {
            var fields = _fields;
            if (fields.Contains(MatchField.Email) && k[(int)MatchField.Email].Length > 0) yield return "E:" + k[(int)MatchField.Email];
            var phone = k[(int)MatchField.Phone];
            if (fields.Contains(MatchField.Phone) && phone.Length >= 8) yield return "P:" + phone.Substring(phone.Length - 7);
            if (fields.Contains(MatchField.LastName) && fields.Contains(MatchField.FirstName))
            {
                var first = k[(int)MatchField.FirstName];
                var last = k[(int)MatchField.LastName];
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
                                var part = CompanionKey(c, k[(int)c.Field]);
                                if (part.Length == 0) { suffix = null; break; } // blank never matches: no rule needing this field can hold
                                suffix += ":" + part;
                            }
                            if (suffix == null) continue;
                            foreach (var n in names) yield return n + suffix;
                        }
                    }
                }
            }
            var company = k[(int)MatchField.Company];
            if (_companyBlocks && company.Length > 0) yield return "C:" + Prefix(company, CompanyKeyLength);
            var street = k[(int)MatchField.Street];
            var postal = k[(int)MatchField.PostalCode];
            if (_streetBlocks && street.Length > 0 && (!_streetWithPostalCode || postal.Length > 0))
                yield return "A:" + Prefix(street, StreetKeyLength) + (_streetWithPostalCode ? "|" + postal : string.Empty);
            if (fields.Contains(MatchField.BirthDate) && k[(int)MatchField.BirthDate].Length > 0) yield return "D:" + k[(int)MatchField.BirthDate];
        }

        /// <summary>
        /// The 64-bit hashes of <see cref="BlockKeys(MatchKey)"/>, in the same order, computed without building the key
        /// strings (FNV-1a is sequential, so a key's hash is its parts' characters fed in turn).
        /// </summary>
        internal List<long> BlockHashes(MatchKey k)
        {
            var list = new List<long>();
            AddBlockHashes(k.Values, list.Add, new char[4]);
            return list;
        }

        private const ulong FnvOffset = 14695981039346656037UL;
        private const ulong FnvPrime = 1099511628211UL;

        private static ulong Fnv(ulong h, char c) => (h ^ c) * FnvPrime;

        private static ulong Fnv(ulong h, string s, int start, int length)
        {
            for (var i = start; i < start + length; i++) h = (h ^ s[i]) * FnvPrime;
            return h;
        }

        private static ulong Fnv(ulong h, string s) => Fnv(h, s, 0, s.Length);

        private void AddBlockHashes(string[] k, Action<long> add, char[] soundex)
        {
            var fields = _fields;
            var email = k[(int)MatchField.Email];
            if (fields.Contains(MatchField.Email) && email.Length > 0) add(unchecked((long)Fnv(Fnv(Fnv(FnvOffset, 'E'), ':'), email)));
            var phone = k[(int)MatchField.Phone];
            if (fields.Contains(MatchField.Phone) && phone.Length >= 8) add(unchecked((long)Fnv(Fnv(Fnv(FnvOffset, 'P'), ':'), phone, phone.Length - 7, 7)));
            if (fields.Contains(MatchField.LastName) && fields.Contains(MatchField.FirstName))
            {
                var first = k[(int)MatchField.FirstName];
                var last = k[(int)MatchField.LastName];
                if (first.Length > 0 && last.Length > 0 && (_bareNameBlocks || _companions.Length > 0))
                {
                    var cf = Nicknames.Canonical(first);
                    var nameKey = Fnv(Fnv(FnvOffset, 'N'), ':');
                    var lastPrefix = Fnv(nameKey, last, 0, Math.Min(4, last.Length));
                    Span4 names = default;
                    names.Add(Fnv(Fnv(lastPrefix, '|'), cf[0]));
                    names.Add(Fnv(Fnv(Fnv(nameKey, first, 0, Math.Min(4, first.Length)), '|'), last[0]));
                    var sx = Fnv(Fnv(FnvOffset, 'S'), ':');
                    var sn = SoundexInto(last, soundex);
                    for (var i = 0; i < sn; i++) sx = Fnv(sx, soundex[i]);
                    names.Add(Fnv(Fnv(sx, '|'), cf[0]));
                    if (cf[0] != first[0]) names.Add(Fnv(Fnv(lastPrefix, '|'), first[0]));
                    if (_bareNameBlocks)
                    {
                        for (var n = 0; n < names.Count; n++) add(unchecked((long)names[n]));
                    }
                    else
                    {
                        for (var i = 0; i < _companions.Length; i++)
                        {
                            var blank = false;
                            foreach (var c in _companions[i])
                            {
                                CompanionRange(c, k[(int)c.Field], out _, out var len);
                                if (len == 0) { blank = true; break; }
                            }
                            if (blank) continue; // blank never matches: no rule needing this field can hold
                            var number = i.ToString(CultureInfo.InvariantCulture);
                            for (var n = 0; n < names.Count; n++)
                            {
                                var h = Fnv(Fnv(names[n], '#'), number);
                                foreach (var c in _companions[i])
                                {
                                    var value = k[(int)c.Field];
                                    CompanionRange(c, value, out var start, out var len);
                                    h = Fnv(Fnv(h, ':'), value, start, len);
                                }
                                add(unchecked((long)h));
                            }
                        }
                    }
                }
            }
            var company = k[(int)MatchField.Company];
            if (_companyBlocks && company.Length > 0) add(unchecked((long)Fnv(Fnv(Fnv(FnvOffset, 'C'), ':'), company, 0, Math.Min(CompanyKeyLength, company.Length))));
            var street = k[(int)MatchField.Street];
            var postal = k[(int)MatchField.PostalCode];
            if (_streetBlocks && street.Length > 0 && (!_streetWithPostalCode || postal.Length > 0))
            {
                var h = Fnv(Fnv(Fnv(FnvOffset, 'A'), ':'), street, 0, Math.Min(StreetKeyLength, street.Length));
                if (_streetWithPostalCode) h = Fnv(Fnv(h, '|'), postal);
                add(unchecked((long)h));
            }
            var birth = k[(int)MatchField.BirthDate];
            if (fields.Contains(MatchField.BirthDate) && birth.Length > 0) add(unchecked((long)Fnv(Fnv(Fnv(FnvOffset, 'D'), ':'), birth)));
        }

        /// <summary>Up to four name-key hashes without an array per record.</summary>
        private struct Span4
        {
            private ulong _a, _b, _c, _d;
            public int Count;

            public void Add(ulong h)
            {
                switch (Count++)
                {
                    case 0: _a = h; break;
                    case 1: _b = h; break;
                    case 2: _c = h; break;
                    default: _d = h; break;
                }
            }

            public ulong this[int i] => i == 0 ? _a : i == 1 ? _b : i == 2 ? _c : _d;
        }

        // Where CompanionKey's part lies in the value (start, length), without the substring.
        private static void CompanionRange(MatchCondition c, string value, out int start, out int length)
        {
            start = 0;
            length = 0;
            if (value.Length == 0) return;
            if (c.Method == MatchMethod.Exact) { length = value.Length; return; }
            int n;
            if (c.Method == MatchMethod.SameFirstCharacters) n = c.Characters;
            else
            {
                switch (c.Field)
                {
                    case MatchField.Street: n = 3; break;
                    case MatchField.PostalCode: n = 3; break;
                    case MatchField.City: n = 2; break;
                    case MatchField.Email: n = 3; break;
                    case MatchField.BirthDate: n = 4; break;
                    case MatchField.Phone:
                        length = Math.Min(4, value.Length);
                        start = value.Length - length;
                        return;
                    default: n = 1; break;
                }
            }
            length = Math.Min(n, value.Length);
        }

        private static int SoundexInto(string s, char[] chars)
        {
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
            if (n == 0) return 0;
            while (n < 4) chars[n++] = '0';
            return 4;
        }

        /// <summary>American Soundex of a normalised name (letter plus three digits), for blocking.</summary>
        public static string Soundex(string s)
        {
            var chars = new char[4];
            return SoundexInto(s, chars) == 0 ? string.Empty : new string(chars);
        }

        private static string Prefix(string s, int n) => s.Length <= n ? s : s.Substring(0, n);

        /// <summary>
        /// Keep each input record whole in the groups (the default). When false, only the id, the object type, the
        /// fields the strategy reads and the creation date are kept (the bulk route: a million records in memory).
        /// </summary>
        public bool RetainRecords { get; set; } = true;

        private const int BatchSize = 512;

        /// <summary>Threads that compare blocks (blocks are independent; the machine's cores, at most 4).</summary>
        public int CompareThreads { get; set; } = Math.Max(1, Math.Min(Environment.ProcessorCount, 4));

        /// <summary>A record on its way from the reading thread to the indexing thread, already normalised.</summary>
        private struct Pending
        {
            public CrmRecord Record;
            public Shape Shape;
            public string[] Values;
        }

        /// <summary>Deal runs of blocks to the threads in turn rather than to whichever is free (tests only).</summary>
        internal bool StaticChunksForTests { get; set; }

        /// <summary>What the finder keeps of one record: a struct in one list, not objects per record (a million records).</summary>
        private struct Entry
        {
            public string[] Values;          // normalised, by MatchField
            public object Record;            // the CrmRecord (RetainRecords), else the trimmed values (object?[], in Shape.TrimmedNames order)
            public Shape Shape;
            public string? ObjectType;
            public string? SourceFile;
            public long SourceRecordNumber;
            public long SourceLine;
            public int Filled;
        }

        /// <summary>
        /// A record shape: its field names in order (the records of one file share one), where the strategy's fields
        /// are in it, and which fields a trimmed copy keeps: worked out once per shape, not per record.
        /// </summary>
        private sealed class Shape
        {
            public string[] Names = Array.Empty<string>();
            public bool HasId;
            public int[][] Positions = Array.Empty<int[]>();
            public int[] Copy = Array.Empty<int>();
            public bool[] CopyPooled = Array.Empty<bool>();
            public string[] TrimmedNames = Array.Empty<string>();

            public bool Fits(CrmRecord r, bool hasId)
            {
                if (HasId != hasId || Names.Length != r.Count) return false;
                for (var i = 0; i < Names.Length; i++)
                {
                    var n = r.NameAt(i);
                    if (!ReferenceEquals(Names[i], n) && !string.Equals(Names[i], n, StringComparison.Ordinal)) return false;
                }
                return true;
            }
        }

        private sealed class ShapeCache
        {
            private readonly List<Shape> _shapes = new List<Shape>();
            private Shape? _last;

            public Shape Get(CrmRecord r, DuplicateFinder finder)
            {
                var hasId = r.Id != null;
                if (_last != null && _last.Fits(r, hasId)) return _last;
                foreach (var s in _shapes)
                {
                    if (s.Fits(r, hasId)) return _last = s;
                }
                var shape = finder.CreateShape(r, hasId);
                if (_shapes.Count < 256) _shapes.Add(shape);
                return _last = shape;
            }
        }

        // The trimmed copy keeps the id, the fields the strategy can read (each record field once) and the creation date.
        private Shape CreateShape(CrmRecord r, bool hasId)
        {
            var names = new string[r.Count];
            for (var i = 0; i < names.Length; i++) names[i] = r.NameAt(i);
            var taken = new List<string>();
            if (hasId) taken.Add("Id");
            var copy = new List<int>();
            var pooled = new List<bool>();
            bool Taken(string name) => taken.Any(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase));
            foreach (var f in _fields)
            {
                foreach (var name in _strategy.FieldNames[f])
                {
                    var i = r.IndexOf(name);
                    if (i < 0 || Taken(r.NameAt(i))) continue;
                    copy.Add(i);
                    pooled.Add((int)f >= PooledFields.Length || PooledFields[(int)f]); // custom fields (topic, product) repeat too
                    taken.Add(names[i]);
                }
            }
            foreach (var name in CreatedFields)
            {
                var i = r.IndexOf(name);
                if (i < 0 || Taken(r.NameAt(i))) continue;
                copy.Add(i);
                pooled.Add(false);
                taken.Add(names[i]);
            }
            return new Shape
            {
                Names = names,
                HasId = hasId,
                Positions = _strategy.PositionsIn(r),
                Copy = copy.ToArray(),
                CopyPooled = pooled.ToArray(),
                TrimmedNames = taken.ToArray(),
            };
        }

        private static object[] TrimmedValues(CrmRecord r, Shape shape, StringPool pool)
        {
            var offset = shape.HasId ? 1 : 0;
            var values = new object[shape.Copy.Length + offset];
            if (shape.HasId) values[0] = r.Id!;
            for (var c = 0; c < shape.Copy.Length; c++)
            {
                var v = r.ValueAt(shape.Copy[c]);
                values[c + offset] = v is string sv && shape.CopyPooled[c] ? pool.Get(sv) : v!;
            }
            return values;
        }

        /// <summary>
        /// The entries in chunks of 64K: a million entries in one growing array would be copied at each doubling
        /// through the large object heap (each growth can start a full collection).
        /// </summary>
        private sealed class EntryList
        {
            private const int Shift = 16;
            private const int Mask = (1 << Shift) - 1;
            private readonly List<Entry[]> _chunks = new List<Entry[]>();

            public int Count { get; private set; }

            public void Add(in Entry e)
            {
                var c = Count >> Shift;
                if (c == _chunks.Count) _chunks.Add(new Entry[c == 0 ? 1024 : 1 << Shift]);
                else if (c == 0 && Count == _chunks[0].Length)
                {
                    var first = _chunks[0];
                    Array.Resize(ref first, Math.Min(1 << Shift, first.Length * 4));
                    _chunks[0] = first;
                }
                _chunks[c][Count & Mask] = e;
                Count++;
            }

            public ref Entry this[int i] => ref _chunks[i >> Shift][i & Mask];
        }

        private static CrmRecord RecordOf(in Entry e)
        {
            if (e.Record is CrmRecord whole) return whole;
            var values = (object?[])e.Record;
            var names = e.Shape.TrimmedNames;
            var t = new CrmRecord(e.ObjectType, names.Length) { SourceFile = e.SourceFile, SourceRecordNumber = e.SourceRecordNumber, SourceLine = e.SourceLine };
            for (var i = 0; i < names.Length; i++) t.Add(names[i], values[i]);
            return t;
        }

        /// <summary>
        /// Finds groups among the records (at least two members each), ordered by first appearance. The records are
        /// enumerated on the calling thread (so a reader's error callback stays there) while a second thread
        /// normalises them and computes their block keys; blocks are then compared on <see cref="CompareThreads"/>
        /// threads, with the same groups and pairs as one thread would find.
        /// </summary>
        public IReadOnlyList<DuplicateGroup> Find(IEnumerable<CrmRecord> records, Action<long>? progress = null)
        {
            var stats = new DuplicateRunStats();
            Stats = stats;
            var entries = new EntryList();
            var index = new BlockIndex();
            var pool = new StringPool();
            var shapes = new ShapeCache();
            var normalised = new MatchStrategy.NormaliseCache();
            var token = Cancellation;
            var retain = RetainRecords;
            var soundex = new char[4];
            var adder = new IndexAdder(index);
            Action<long> addHash = adder.Add;
            var frequencies = new ValueFrequencies(_strategy);
            var counting = frequencies.IsNeeded;
            Frequencies = counting ? frequencies : null;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var busy = new System.Diagnostics.Stopwatch();
            var waited = new System.Diagnostics.Stopwatch();

            using (var queue = new System.Collections.Concurrent.BlockingCollection<Pending[]>(4))
            {
                var worker = System.Threading.Tasks.Task.Run(() =>
                {
                    foreach (var batch in queue.GetConsumingEnumerable())
                    {
                        busy.Start();
                        foreach (var p in batch)
                        {
                            var r = p.Record;
                            if (r == null) break;
                            var shape = p.Shape;
                            var values = p.Values;
                            var idx = entries.Count;
                            var e = new Entry
                            {
                                Values = values,
                                Shape = shape,
                                ObjectType = r.ObjectType == null ? null : pool.Get(r.ObjectType),
                                Filled = Filled(r),
                                Record = r,
                            };
                            if (!retain)
                            {
                                // A million records hold the same first names, cities and titles many times over: keep one copy.
                                for (var f = 0; f < values.Length; f++)
                                {
                                    if (values[f].Length > 0 && (f >= PooledFields.Length || PooledFields[f])) values[f] = pool.Get(values[f]);
                                }
                                e.Record = TrimmedValues(r, shape, pool);
                                e.SourceFile = r.SourceFile;
                                e.SourceRecordNumber = r.SourceRecordNumber;
                                e.SourceLine = r.SourceLine;
                            }
                            entries.Add(e);
                            adder.Record = idx;
                            AddBlockHashes(values, addHash, soundex);
                            if (counting) frequencies.Add(values);
                        }
                        busy.Stop();
                    }
                });
                long count = 0;
                var buffer = new Pending[BatchSize];
                var n = 0;
                try
                {
                    foreach (var r in records)
                    {
                        // Normalised here, on the reading thread, which has time to spare; pooling, trimming and
                        // indexing on the second.
                        var shape = shapes.Get(r, this);
                        buffer[n++] = new Pending { Record = r, Shape = shape, Values = _strategy.NormaliseAt(r, shape.Positions, normalised) };
                        if (n == BatchSize)
                        {
                            waited.Start();
                            queue.Add(buffer, token);
                            waited.Stop();
                            buffer = new Pending[BatchSize];
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
            stats.Records = entries.Count;
            stats.IndexingBusy = busy.Elapsed;
            stats.ReaderWaited = waited.Elapsed;
            stats.Stage("read+normalise+index", clock);

            var blocks = index.Blocks();
            foreach (var block in blocks)
            {
                if (block.Count > MaxBlockSize)
                    stats.CutBlocks.Add(KeyOf(entries[block.Array![block.Offset]].Values, index.HashAt(block)) + " (" + block.Count.ToString(CultureInfo.InvariantCulture) + " records)");
            }
            stats.Stage("sort blocks", clock);

            // The probabilistic strategy learns its parameters from this data's own candidate pairs.
            Model = null;
            if (_strategy.Probabilistic != null)
            {
                Model = ProbabilisticModel.Learn(_strategy.Probabilistic, entries.Count, i => entries[i].Values, blocks, MaxBlockSize);
                stats.Stage("learn (EM)", clock);
            }

            var found = CompareBlocks(entries, blocks, token, counting ? frequencies : null, out var comparisons);
            stats.Comparisons = comparisons;
            stats.Stage("compare", clock);

            // The pairs in block order, each kept when it joins two groups: the same spanning pairs as one thread
            // comparing the blocks in order (each thread skips only pairs its own earlier matches already joined).
            var parent = new int[entries.Count];
            for (var i = 0; i < parent.Length; i++) parent[i] = i;
            int FindRoot(int x)
            {
                while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
                return x;
            }
            var edges = new List<Match>();
            foreach (var m in found)
            {
                var ra = FindRoot(m.A);
                var rb = FindRoot(m.B);
                if (ra == rb) continue;
                parent[ra] = rb;
                edges.Add(m);
            }

            // Sizes first, so the singletons (most records) get no member list.
            var size = new int[entries.Count];
            for (var i = 0; i < entries.Count; i++) size[FindRoot(i)]++;
            var members = new Dictionary<int, List<int>>();
            var order = new List<int>();
            for (var i = 0; i < entries.Count; i++)
            {
                var root = FindRoot(i);
                if (size[root] < 2) continue;
                if (!members.TryGetValue(root, out var ms)) { members[root] = ms = new List<int>(size[root]); order.Add(root); }
                ms.Add(i);
            }
            var recordOf = new Dictionary<int, CrmRecord>();
            CrmRecord Get(int i)
            {
                if (!recordOf.TryGetValue(i, out var r)) recordOf[i] = r = RecordOf(entries[i]);
                return r;
            }
            var edgesByRoot = new Dictionary<int, List<Match>>();
            foreach (var e in edges)
            {
                var root = FindRoot(e.A);
                if (!edgesByRoot.TryGetValue(root, out var pl)) edgesByRoot[root] = pl = new List<Match>();
                pl.Add(e);
            }

            // Group safety: a group of three or more that holds two records which must not be linked (a veto fires, or
            // their names clearly differ) was chained through weak pairs; it is clustered again inside, joining the
            // strongest pairs first and never two parts holding such a pair.
            var final = new List<(List<int> Members, List<Match> Edges)>();
            foreach (var root in order)
            {
                var ms = members[root];
                var es = edgesByRoot[root];
                if (!GroupSafety || ms.Count < 3 || ms.Count > SafetyCheckLimit || !HasConflict(entries, ms, Frequencies))
                {
                    final.Add((ms, es));
                    continue;
                }
                stats.SplitGroups++;
                foreach (var part in Recluster(entries, ms, Frequencies)) final.Add(part);
            }
            final.Sort((x, y) => x.Members[0].CompareTo(y.Members[0]));

            var groups = new List<DuplicateGroup>();
            foreach (var (ms, es) in final)
            {
                var recs = ms.Select(Get).ToList();
                var best = SuggestSurvivor(recs, ms.Select(i => entries[i].Filled).ToList());
                var pairs = es.Select(e => new DuplicatePair(IdOf(Get(e.A), e.A), IdOf(Get(e.B), e.B), Math.Round(e.Result.Score, 1), e.Result.Rule) { MatchWeight = e.Result.MatchWeight, Weights = e.Result.Weights }).ToList();
                var group = new DuplicateGroup(groups.Count + 1, recs, pairs, best < 0 ? null : IdOf(recs[best], ms[best]), ms);
                if (ms.Count > MaxGroupSize) stats.OversizedGroups.Add(group.GroupId);
                groups.Add(group);
            }
            stats.Stage("groups", clock);
            return groups;
        }

        /// <summary>The probabilistic strategy's model learned in the last run (null for a rule strategy).</summary>
        public ProbabilisticModel? Model { get; private set; }

        private MatchResult? MatchPair(string[] a, string[] b, double[] scratch, ValueFrequencies? frequencies) =>
            Model != null ? Model.Match(a, b) : _strategy.Match(a, b, scratch, frequencies);

        private bool CannotLink(string[] a, string[] b, ValueFrequencies? frequencies) =>
            Model != null ? Model.CannotLink(a, b) : _strategy.CannotLink(a, b, frequencies);

        /// <summary>Re-cluster groups that hold two records which must not be linked (on by default; see <see cref="MatchStrategy.CannotLink(MatchKey, MatchKey, ValueFrequencies)"/>).</summary>
        public bool GroupSafety { get; set; } = true;

        /// <summary>Groups of more members than this are reported in <see cref="DuplicateRunStats.OversizedGroups"/> (Find-CrmDuplicate warns, naming each).</summary>
        public int MaxGroupSize { get; set; } = 50;

        /// <summary>Groups larger than this are not checked pair by pair (their size alone is reported).</summary>
        internal const int SafetyCheckLimit = 2000;

        private bool HasConflict(EntryList entries, List<int> ms, ValueFrequencies? frequencies)
        {
            for (var i = 0; i < ms.Count; i++)
            {
                var a = entries[ms[i]].Values;
                for (var j = i + 1; j < ms.Count; j++)
                {
                    if (CannotLink(a, entries[ms[j]].Values, frequencies)) return true;
                }
            }
            return false;
        }

        /// <summary>
        /// Clusters the members of a group again: every pair that matches (rules, vetoes, rare values) in order of score,
        /// strongest first, joins its two parts unless some record of one must not be linked with some record of the
        /// other. Parts of two or more come back, each with the pairs that joined it.
        /// </summary>
        private List<(List<int> Members, List<Match> Edges)> Recluster(EntryList entries, List<int> ms, ValueFrequencies? frequencies)
        {
            var n = ms.Count;
            var cannot = new bool[n, n];
            var candidates = new List<Match>();
            var scratch = _strategy.CreateScratch();
            for (var i = 0; i < n; i++)
            {
                var a = entries[ms[i]].Values;
                for (var j = i + 1; j < n; j++)
                {
                    var b = entries[ms[j]].Values;
                    if (CannotLink(a, b, frequencies)) { cannot[i, j] = cannot[j, i] = true; continue; }
                    if (SameTypeOnly && !string.Equals(entries[ms[i]].ObjectType, entries[ms[j]].ObjectType, StringComparison.OrdinalIgnoreCase)) continue;
                    var m = MatchPair(a, b, scratch, frequencies);
                    if (m != null) candidates.Add(new Match { A = i, B = j, Result = m });
                }
            }
            candidates.Sort((x, y) => y.Result.Score != x.Result.Score ? y.Result.Score.CompareTo(x.Result.Score) : x.A != y.A ? x.A.CompareTo(y.A) : x.B.CompareTo(y.B));
            var part = new int[n];
            var parts = new List<List<int>>();
            var edges = new List<List<Match>>();
            for (var i = 0; i < n; i++) { part[i] = i; parts.Add(new List<int> { i }); edges.Add(new List<Match>()); }
            foreach (var c in candidates)
            {
                int pa = part[c.A], pb = part[c.B];
                if (pa == pb) continue;
                var blocked = false;
                foreach (var x in parts[pa])
                {
                    foreach (var y in parts[pb]) if (cannot[x, y]) { blocked = true; break; }
                    if (blocked) break;
                }
                if (blocked) continue;
                foreach (var y in parts[pb]) part[y] = pa;
                parts[pa].AddRange(parts[pb]);
                parts[pb].Clear();
                edges[pa].Add(new Match { A = ms[c.A], B = ms[c.B], Result = c.Result });
                edges[pa].AddRange(edges[pb]);
                edges[pb].Clear();
            }
            var result = new List<(List<int>, List<Match>)>();
            for (var p = 0; p < n; p++)
            {
                if (parts[p].Count < 2) continue;
                var members = parts[p].Select(i => ms[i]).OrderBy(i => i).ToList();
                result.Add((members, edges[p]));
            }
            return result;
        }

        /// <summary>A matched pair found while comparing: block number, the two records, the result.</summary>
        private struct Match
        {
            public int Block;
            public int Sequence;
            public int A;
            public int B;
            public MatchResult Result;
        }

        /// <summary>
        /// Compares the pairs of every block, on several threads taking runs of blocks in order. Each thread skips
        /// pairs its own earlier matches already joined, so together they find every pair one thread would keep
        /// (and some it would have skipped); returned in block order.
        /// </summary>
        private List<Match> CompareBlocks(EntryList entries, List<ArraySegment<int>> blocks, System.Threading.CancellationToken token, ValueFrequencies? frequencies, out long comparisons)
        {
            // Runs of up to 64 blocks, smaller for few blocks so that every thread gets some.
            var threads = Math.Max(1, Math.Min(CompareThreads, blocks.Count));
            var Chunk = Math.Max(1, Math.Min(64, blocks.Count / (threads * 8)));
            var results = new List<Match>[threads];
            var next = -1;
            long total = 0;
            void Work(int t)
            {
                var list = results[t] = new List<Match>();
                var parent = new int[entries.Count];
                for (var i = 0; i < parent.Length; i++) parent[i] = i;
                int FindRoot(int x)
                {
                    while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
                    return x;
                }
                var scratch = _strategy.CreateScratch();
                long cmp = 0;
                var turn = t;
                while (true)
                {
                    // Tests deal the runs out in turn so that every thread surely compares some.
                    var first = (StaticChunksForTests ? (turn += threads) - threads : System.Threading.Interlocked.Increment(ref next)) * Chunk;
                    if (first >= blocks.Count) break;
                    token.ThrowIfCancellationRequested();
                    var last = Math.Min(first + Chunk, blocks.Count);
                    for (var bi = first; bi < last; bi++)
                    {
                        var block = blocks[bi];
                        var n = Math.Min(block.Count, MaxBlockSize);
                        var ids = block.Array!;
                        for (var i = 0; i < n; i++)
                        {
                            var a = ids[block.Offset + i];
                            for (var j = i + 1; j < n; j++)
                            {
                                var b = ids[block.Offset + j];
                                if (a == b) continue;
                                var ra = FindRoot(a);
                                var rb = FindRoot(b);
                                if (ra == rb) continue;
                                if (SameTypeOnly && !string.Equals(entries[a].ObjectType, entries[b].ObjectType, StringComparison.OrdinalIgnoreCase)) continue;
                                cmp++;
                                var m = MatchPair(entries[a].Values, entries[b].Values, scratch, frequencies);
                                if (m == null) continue;
                                parent[ra] = rb;
                                list.Add(new Match { Block = bi, Sequence = list.Count, A = a, B = b, Result = m });
                            }
                        }
                    }
                }
                System.Threading.Interlocked.Add(ref total, cmp);
            }
            var tasks = new System.Threading.Tasks.Task[threads - 1];
            for (var t = 1; t < threads; t++)
            {
                var id = t;
                tasks[t - 1] = System.Threading.Tasks.Task.Run(() => Work(id));
            }
            try
            {
                Work(0);
            }
            finally
            {
                try
                {
                    System.Threading.Tasks.Task.WaitAll(tasks);
                }
                catch (AggregateException ex) when (ex.InnerException != null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                }
            }
            comparisons = total;
            var all = new List<Match>(results.Sum(r => r.Count));
            foreach (var r in results) all.AddRange(r);
            // One block is compared by one thread, in order: block then that thread's sequence is the one-thread order.
            all.Sort((x, y) => x.Block != y.Block ? x.Block.CompareTo(y.Block) : x.Sequence.CompareTo(y.Sequence));
            return all;
        }

        /// <summary>The key string of a record whose key hashes to <paramref name="hash"/> (for messages about cut blocks).</summary>
        private string KeyOf(string[] values, long hash)
        {
            foreach (var b in BlockKeys(values)) if (Hash(b) == hash) return b;
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
                if (v == null) continue;
                if (v is string s ? !string.IsNullOrWhiteSpace(s) : v is long || v is int || v is double || v is bool || !string.IsNullOrWhiteSpace(RecordValue.ToText(v))) filled++;
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

        private sealed class IndexAdder
        {
            private readonly BlockIndex _index;
            public int Record;
            public IndexAdder(BlockIndex index) => _index = index;
            public void Add(long hash) => _index.Add(hash, Record);
        }

        /// <summary>(hash, record) pairs, sorted once: runs of equal hashes are the blocks.</summary>
        private sealed class BlockIndex
        {
            // Filled in chunks and joined once into exact-size arrays: doubling arrays of millions of entries would
            // allocate (and collect) twice the final size on the large object heap, and leave up to half unused.
            private const int ChunkSize = 1 << 20;
            private readonly List<long[]> _hashChunks = new List<long[]>();
            private readonly List<int[]> _recordChunks = new List<int[]>();
            private long[] _hashes = Array.Empty<long>();
            private int[] _records = Array.Empty<int>();
            private int _inChunk;
            private int _count;

            public void Add(long hash, int record)
            {
                var last = _hashChunks.Count - 1;
                if (last < 0 || _inChunk == _hashChunks[last].Length)
                {
                    if (last == 0 && _hashChunks[0].Length < ChunkSize)
                    {
                        // The first chunk starts small (a few records need a few entries) and grows to the chunk size.
                        var h = _hashChunks[0];
                        var r = _recordChunks[0];
                        Array.Resize(ref h, Math.Min(ChunkSize, h.Length * 4));
                        Array.Resize(ref r, h.Length);
                        _hashChunks[0] = h;
                        _recordChunks[0] = r;
                    }
                    else
                    {
                        var size = last < 0 ? 4096 : ChunkSize;
                        _hashChunks.Add(new long[size]);
                        _recordChunks.Add(new int[size]);
                        _inChunk = 0;
                        last++;
                    }
                }
                _hashChunks[last][_inChunk] = hash;
                _recordChunks[last][_inChunk] = record;
                _inChunk++;
                _count++;
            }

            private void Join()
            {
                _hashes = new long[_count];
                _records = new int[_count];
                var at = 0;
                for (var c = 0; c < _hashChunks.Count; c++)
                {
                    var n = Math.Min(_hashChunks[c].Length, _count - at);
                    Array.Copy(_hashChunks[c], 0, _hashes, at, n);
                    Array.Copy(_recordChunks[c], 0, _records, at, n);
                    at += n;
                    _hashChunks[c] = null!;
                    _recordChunks[c] = null!;
                }
                _hashChunks.Clear();
                _recordChunks.Clear();
            }

            public long HashAt(ArraySegment<int> block) => _hashes[block.Offset];

            /// <summary>Blocks of two or more records, each in input order, ordered by their first record.</summary>
            public List<ArraySegment<int>> Blocks()
            {
                Join();
                // Sorted in two halves on two threads (negative and non-negative hashes: the same order as one sort).
                var split = 0;
                for (var j = _count - 1; split <= j;)
                {
                    if (_hashes[split] < 0) { split++; continue; }
                    var h = _hashes[split]; _hashes[split] = _hashes[j]; _hashes[j] = h;
                    var r = _records[split]; _records[split] = _records[j]; _records[j] = r;
                    j--;
                }
                var upper = System.Threading.Tasks.Task.Run(() => Array.Sort(_hashes, _records, split, _count - split));
                Array.Sort(_hashes, _records, 0, split);
                upper.Wait();
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
                var blocks = new List<ArraySegment<int>>(runs.Count);
                foreach (var run in runs) blocks.Add(new ArraySegment<int>(_records, run.Start, run.Length));
                return blocks;
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

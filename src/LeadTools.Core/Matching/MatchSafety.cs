using System;
using System.Collections.Generic;
using System.Linq;

namespace LeadTools.Core.Matching
{
    /// <summary>
    /// Contradicting evidence (issue 16): a pair that one of a strategy's rules would match is rejected when every
    /// <see cref="Disagreements"/> condition disagrees (both values present and the score below the condition's
    /// threshold) and every <see cref="Agreements"/> condition holds. Example: two different mailboxes (the emails
    /// disagree) at one domain (the domains agree) are two people, however alike their names are.
    /// </summary>
    public sealed class MatchVeto
    {
        /// <summary>Creates a veto.</summary>
        public MatchVeto(string name, IEnumerable<MatchCondition> disagreements, IEnumerable<MatchCondition>? agreements = null)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A veto needs a name.", nameof(name));
            Name = name;
            Disagreements = disagreements.ToList();
            Agreements = (agreements ?? Enumerable.Empty<MatchCondition>()).ToList();
            if (Disagreements.Count == 0) throw new ArgumentException("A veto needs at least one condition that must disagree.", nameof(disagreements));
        }

        /// <summary>The veto's name, reported in explanations.</summary>
        public string Name { get; }
        /// <summary>Conditions that must all disagree: both values present (blank is no evidence) and the score below the threshold.</summary>
        public IReadOnlyList<MatchCondition> Disagreements { get; }
        /// <summary>Conditions that must all hold as well (e.g. the same email domain).</summary>
        public IReadOnlyList<MatchCondition> Agreements { get; }

        private MatchVeto(string name, int commonRecords = 0)
        {
            Name = name;
            CommonRecords = commonRecords;
            Disagreements = new[] { new MatchCondition(MatchField.FirstName, MatchMethod.FuzzyFirstName, MatchStrategy.ConflictingFirstName), new MatchCondition(MatchField.LastName, MatchMethod.JaroWinkler, MatchStrategy.ConflictingLastName) };
            Agreements = Array.Empty<MatchCondition>();
            IsNameConflict = true;
        }

        /// <summary>
        /// The veto of clearly different names: both first names present and unlike (nicknames and initials allowed,
        /// fuzzy first-name score below 70) or both last names present and unlike (Jaro-Winkler below 75), in both
        /// orientations (first and last name may have been swapped). Rules that hold on email or birth date alone then
        /// cannot join "John Smith" and "Mary Smith" who share a family mailbox.
        /// </summary>
        public static MatchVeto DifferentNames() => new MatchVeto("DifferentNames");

        /// <summary>
        /// The veto of siblings: both first names present and not alike enough to be one name mistyped (fuzzy first-name
        /// score below 75, nicknames and initials allowed, in both orientations) while both birth dates are present and
        /// differ. Emma and Ella Carter at one address with one family mailbox, born a day apart, are two people; a copy
        /// with a slip in the first name (Jayden, Jyayden; Kai, Kia) keeps a score of 75 or more or is one edit away. Twins
        /// born the same day are not told from a copy whose first name was replaced (README, Decisions).
        /// </summary>
        public static MatchVeto DifferentFirstNameAndBirthDate() => new MatchVeto("DifferentFirstNameAndBirthDate", siblings: true);

        private MatchVeto(string name, bool siblings)
        {
            Name = name;
            IsSiblingConflict = siblings;
            Disagreements = new[] { new MatchCondition(MatchField.FirstName, MatchMethod.FuzzyFirstName, SiblingFirstName), new MatchCondition(MatchField.BirthDate, MatchMethod.Exact) };
            Agreements = Array.Empty<MatchCondition>();
        }

        /// <summary>
        /// The veto of a numbered mailbox: two emails at one domain whose mailboxes are equal but for a trailing number
        /// (john.smith and john.smith2, jsmith.2 and jsmith.3) are two people, the way a mail administrator names the second
        /// John Smith; a fuzzy email comparison scores them alike. Unlike <c>DifferentMailbox</c> it leaves other
        /// typed-over mailboxes alone.
        /// </summary>
        public static MatchVeto NumberedMailbox() => new MatchVeto("NumberedMailbox", true, 1);

        private MatchVeto(string name, bool special, int kind)
        {
            Name = name;
            if (kind == 2)
            {
                IsGenerationConflict = special;
                Disagreements = new[] { new MatchCondition(MatchField.LastName, MatchMethod.Exact), new MatchCondition(MatchField.FirstName, MatchMethod.Exact) };
                Agreements = Array.Empty<MatchCondition>();
                return;
            }
            IsNumberedMailbox = special;
            Disagreements = new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact) };
            Agreements = new[] { new MatchCondition(MatchField.Email, MatchMethod.SameEmailDomain) };
        }

        /// <summary>True for <see cref="NumberedMailbox"/>.</summary>
        public bool IsNumberedMailbox { get; }

        /// <summary>Whether two normalised emails are at one domain with mailboxes equal but for a trailing number.</summary>
        public static bool AreNumberedMailboxes(string a, string b)
        {
            var ia = a.LastIndexOf('@');
            var ib = b.LastIndexOf('@');
            if (ia <= 0 || ib <= 0 || string.Equals(a, b, StringComparison.Ordinal)) return false;
            if (!string.Equals(a.Substring(ia), b.Substring(ib), StringComparison.Ordinal)) return false;
            var wa = WithoutNumber(a.Substring(0, ia));
            return wa.Length > 0 && string.Equals(wa, WithoutNumber(b.Substring(0, ib)), StringComparison.Ordinal);
        }

        /// <summary>
        /// The veto of father and son: both names carry a generational suffix (Jr, Sr, II, III, IV, 2nd, 3rd) as their last
        /// word, in the last name (or the first name field), and the suffixes differ: Robert Hughes Sr. and Robert Hughes
        /// Jr. at one address are two people even without a birth date. A suffix on one record only is no evidence.
        /// </summary>
        public static MatchVeto DifferentGeneration() => new MatchVeto("DifferentGeneration", true, 2);

        /// <summary>True for <see cref="DifferentGeneration"/>.</summary>
        public bool IsGenerationConflict { get; }

        private static readonly HashSet<string> GenerationSuffixes = new HashSet<string>(StringComparer.Ordinal) { "jr", "sr", "junior", "senior", "ii", "iii", "iv", "2nd", "3rd", "4th" };

        /// <summary>The generational suffix a normalised name ends with ("jr" for "hughes jr"), junior and senior folded to jr and sr; null when none.</summary>
        public static string? GenerationOf(string name)
        {
            var space = name.LastIndexOf(' ');
            if (space <= 0) return null;
            var last = name.Substring(space + 1);
            if (!GenerationSuffixes.Contains(last)) return null;
            return last == "junior" || last == "ii" || last == "2nd" ? "jr" : last == "senior" ? "sr" : last;
        }

        private static bool GenerationsDiffer(string[] a, string[] b)
        {
            var ga = GenerationOf(a[(int)MatchField.LastName]) ?? GenerationOf(a[(int)MatchField.FirstName]);
            if (ga == null) return false;
            var gb = GenerationOf(b[(int)MatchField.LastName]) ?? GenerationOf(b[(int)MatchField.FirstName]);
            return gb != null && ga != gb;
        }

        /// <summary>For <see cref="DifferentFirstNameAndBirthDate"/>: first names scoring below this are different names.</summary>
        public const double SiblingFirstName = 75;

        /// <summary>True for <see cref="DifferentFirstNameAndBirthDate"/>.</summary>
        public bool IsSiblingConflict { get; }

        private static bool SiblingsDiffer(string[] a, string[] b)
        {
            var da = a[(int)MatchField.BirthDate];
            var db = b[(int)MatchField.BirthDate];
            if (da.Length == 0 || db.Length == 0 || string.Equals(da, db, StringComparison.Ordinal)) return false;
            var fa = a[(int)MatchField.FirstName];
            if (fa.Length == 0) return false;
            // One slip (Kai, Kia) is not another name, however low Jaro-Winkler scores a short one.
            bool Differ(string other) => other.Length > 0 && Comparators.FirstName(fa, other) < SiblingFirstName && Comparators.DamerauDistance(fa, other) > 1;
            return Differ(b[(int)MatchField.FirstName]) && (b[(int)MatchField.LastName].Length == 0 || Differ(b[(int)MatchField.LastName]));
        }

        /// <summary>True for <see cref="DifferentNames"/> and <see cref="DifferentCommonNames"/>.</summary>
        public bool IsNameConflict { get; }

        /// <summary>
        /// The veto of two different names that are each common in the data (Donald and Donna, Michael and Michelle,
        /// Lauren and Laura): two spellings that each at least <paramref name="minRecords"/> records (and one in 10,000
        /// of all records) carry are two names, not a typing slip, which is rare. Nicknames (Bob, Robert), initials and
        /// swapped first and last names do not count as different. Needs the data's name frequencies: two records alone
        /// never trigger it.
        /// </summary>
        public static MatchVeto DifferentCommonNames(int minRecords = 5) => new MatchVeto("DifferentCommonNames", minRecords);

        /// <summary>For <see cref="DifferentCommonNames"/>: the fewest records that make a name common.</summary>
        public int CommonRecords { get; }

        internal static readonly RareValue FirstNameCount = new RareValue(int.MaxValue, MatchField.FirstName);
        internal static readonly RareValue LastNameCount = new RareValue(int.MaxValue, MatchField.LastName);

        private bool CommonNamesDiffer(string[] a, string[] b, ValueFrequencies? frequencies)
        {
            if (frequencies == null || frequencies.Records == 0) return false;
            var da = a[(int)MatchField.BirthDate];
            if (da.Length > 0 && string.Equals(da, b[(int)MatchField.BirthDate], StringComparison.Ordinal)) return false; // as for DifferentNames
            var fa = a[(int)MatchField.FirstName];
            var la = a[(int)MatchField.LastName];
            var fb = b[(int)MatchField.FirstName];
            var lb = b[(int)MatchField.LastName];
            if ((fa.Length > 0 && fa == lb) || (la.Length > 0 && la == fb)) return false; // swapped
            var common = Math.Max(CommonRecords, frequencies.Records / 10_000);
            bool Differ(string x, string y, RareValue spec, int field, bool first)
            {
                if (x.Length == 0 || y.Length == 0 || x == y) return false;
                if (first && (Comparators.Initials(x, y) == 100 || Comparators.Nickname(x, y) == 100)) return false;
                // A short form that begins the long one (Sam, Samantha; Chris, Christina), not a near name (Paul, Paula).
                if (first && Math.Abs(x.Length - y.Length) >= 3 && (x.StartsWith(y, StringComparison.Ordinal) || y.StartsWith(x, StringComparison.Ordinal))) return false;
                return frequencies.CountOf(spec, field, x) >= common && frequencies.CountOf(spec, field, y) >= common;
            }
            return Differ(fa, fb, FirstNameCount, (int)MatchField.FirstName, true) || Differ(la, lb, LastNameCount, (int)MatchField.LastName, false);
        }

        /// <summary>
        /// Overwhelming independent evidence that overrules the veto (null: none): both records hold the same value of
        /// these fields (a government id), and the value is rare in the data being matched (held by at most
        /// <see cref="RareValue.MaxRecords"/> records; a value many records share is a placeholder, not an identity).
        /// </summary>
        public RareValue? OverruledBy { get; private set; }

        /// <summary>
        /// Makes the veto give way when both records hold the same rare value of <paramref name="sameRareValue"/>'s fields
        /// (see <see cref="OverruledBy"/>); set before the strategy is used. Returns the veto.
        /// </summary>
        public MatchVeto UnlessSame(RareValue sameRareValue)
        {
            OverruledBy = sameRareValue ?? throw new ArgumentNullException(nameof(sameRareValue));
            return this;
        }

        /// <summary>
        /// For a veto on different mailboxes at one domain: a typed-over mailbox is not a second one. The veto does not
        /// fire when the two local parts are one slip apart (Damerau distance 1; 2 when both have at least 6
        /// characters) and the records also share their exact birth date. A numbered mailbox is never a slip:
        /// john.smith and john.smith2 (or robert25 and robert255), equal once the trailing digits are removed, are two
        /// mailboxes, as a mail administrator numbers a second John Smith.
        /// </summary>
        public bool ToleratesTypedOverMailbox { get; private set; }

        /// <summary>Makes the veto tolerate a typed-over mailbox (see <see cref="ToleratesTypedOverMailbox"/>); set before the strategy is used. Returns the veto.</summary>
        public MatchVeto UnlessTypedOverMailbox()
        {
            ToleratesTypedOverMailbox = true;
            return this;
        }

        /// <summary>Whether two normalised emails at one domain differ by a slip in the mailbox rather than being two mailboxes.</summary>
        public static bool IsTypedOverMailbox(string a, string b)
        {
            var ia = a.LastIndexOf('@');
            var ib = b.LastIndexOf('@');
            if (ia <= 0 || ib <= 0) return false;
            var la = a.Substring(0, ia);
            var lb = b.Substring(0, ib);
            if (la == lb || !string.Equals(a.Substring(ia), b.Substring(ib), StringComparison.Ordinal)) return false;
            if (string.Equals(WithoutNumber(la), WithoutNumber(lb), StringComparison.Ordinal)) return false; // john.smith, john.smith2
            var d = Comparators.DamerauDistance(la, lb);
            return d == 1 || (d == 2 && Math.Min(la.Length, lb.Length) >= 6);
        }

        // The mailbox without its trailing number and the separator before it (john.smith.2 -> john.smith).
        private static string WithoutNumber(string local)
        {
            var end = local.Length;
            while (end > 0 && char.IsDigit(local[end - 1])) end--;
            while (end > 0 && (local[end - 1] == '.' || local[end - 1] == '_' || local[end - 1] == '-')) end--;
            return local.Substring(0, end);
        }

        /// <summary>Whether <see cref="OverruledBy"/> holds for the pair: the same non-blank values, rare in the data (every value is rare without a frequency table).</summary>
        internal bool Overruled(string[] a, string[] b, ValueFrequencies? frequencies)
        {
            var rv = OverruledBy;
            if (rv == null) return false;
            foreach (var f in rv.Fields)
            {
                var va = a[(int)f];
                if (va.Length == 0 || !string.Equals(va, b[(int)f], StringComparison.Ordinal)) return false;
            }
            return frequencies == null || frequencies.Records == 0 || frequencies.Count(rv, a) <= rv.MaxRecords;
        }

        /// <summary>Whether the veto fires on two records' normalised values.</summary>
        internal bool Fires(string[] a, string[] b, ValueFrequencies? frequencies) =>
            FiresIgnoringOverrule(a, b, frequencies) && !Overruled(a, b, frequencies) && !TypedOverMailbox(a, b);

        private bool TypedOverMailbox(string[] a, string[] b)
        {
            if (!ToleratesTypedOverMailbox) return false;
            var da = a[(int)MatchField.BirthDate];
            return da.Length > 0 && string.Equals(da, b[(int)MatchField.BirthDate], StringComparison.Ordinal)
                && IsTypedOverMailbox(a[(int)MatchField.Email], b[(int)MatchField.Email]);
        }

        private bool FiresIgnoringOverrule(string[] a, string[] b, ValueFrequencies? frequencies)
        {
            if (CommonRecords > 0) return CommonNamesDiffer(a, b, frequencies);
            if (IsNameConflict) return MatchStrategy.NamesConflict(a, b);
            if (IsSiblingConflict) return SiblingsDiffer(a, b);
            if (IsGenerationConflict) return GenerationsDiffer(a, b);
            if (IsNumberedMailbox) return AreNumberedMailboxes(a[(int)MatchField.Email], b[(int)MatchField.Email]);
            foreach (var c in Disagreements)
            {
                var va = a[(int)c.Field];
                var vb = b[(int)c.Field];
                if (va.Length == 0 || vb.Length == 0) return false;
                if (c.Score(va, vb) >= c.Threshold) return false;
            }
            foreach (var c in Agreements)
            {
                if (c.Score(a[(int)c.Field], b[(int)c.Field]) < c.Threshold) return false;
            }
            return true;
        }

        /// <summary>Each condition of the veto on the pair (for explanations).</summary>
        internal IReadOnlyList<ConditionOutcome> Trace(MatchKey a, MatchKey b, ValueFrequencies? frequencies)
        {
            var list = new List<ConditionOutcome>();
            if (IsNameConflict)
            {
                var straight = Fires(a.Values, b.Values, frequencies);
                foreach (var c in Disagreements)
                {
                    var va = a[c.Field];
                    var vb = b[c.Field];
                    var sc = c.Score(va, vb);
                    list.Add(new ConditionOutcome(c, va, vb, sc, straight && va.Length > 0 && vb.Length > 0 && sc < c.Threshold, false));
                }
                return list;
            }
            foreach (var c in Disagreements)
            {
                var s = c.Score(a[c.Field], b[c.Field]);
                list.Add(new ConditionOutcome(c, a[c.Field], b[c.Field], s, a[c.Field].Length > 0 && b[c.Field].Length > 0 && s < c.Threshold, false));
            }
            foreach (var c in Agreements)
            {
                var s = c.Score(a[c.Field], b[c.Field]);
                list.Add(new ConditionOutcome(c, a[c.Field], b[c.Field], s, s >= c.Threshold, false));
            }
            return list;
        }

        /// <inheritdoc />
        public override string ToString() => CommonRecords > 0 ? Name + ": two different first (or last) names, each common in the data"
            : IsNameConflict ? Name + ": first or last names clearly differ (both orientations)" : Name + ": " + string.Join(" and ", Disagreements.Select(c => c.Field + " differs")) + (Agreements.Count == 0 ? string.Empty : " while " + string.Join(" and ", Agreements.Select(c => c.ToString())));
    }

    /// <summary>
    /// Term frequency (issue 16): a rule with a rare-value limit holds only when the value of <see cref="Fields"/> (one
    /// field, or several taken together: first and last name are the full name) is held by at most
    /// <see cref="MaxRecords"/> records of the data being matched. A value many records share (an office switchboard,
    /// an office street, John Smith) is no evidence that two records are one person.
    /// </summary>
    public sealed class RareValue
    {
        /// <summary>Creates a limit.</summary>
        public RareValue(int maxRecords, params MatchField[] fields) : this(maxRecords, false, fields)
        {
        }

        /// <summary>
        /// Creates a limit; with <paramref name="distinctLastNames"/>, what is counted is how many different last names the
        /// records holding the value carry, not how many records: one person's five copies share their phone with one
        /// name (two with a typo), an office switchboard is shared by many names.
        /// </summary>
        public RareValue(int maxRecords, bool distinctLastNames, params MatchField[] fields)
        {
            DistinctLastNames = distinctLastNames;
            if (maxRecords < 1) throw new ArgumentOutOfRangeException(nameof(maxRecords), "At least one record holds any value.");
            if (fields == null || fields.Length == 0) throw new ArgumentException("A rare-value limit needs a field.", nameof(fields));
            MaxRecords = maxRecords;
            Fields = fields.ToArray();
            Key = string.Join("+", Fields.Select(f => f.ToString())) + (distinctLastNames ? " (last names)" : string.Empty);
        }

        /// <summary>Count the different last names of the records holding the value rather than the records.</summary>
        public bool DistinctLastNames { get; }

        /// <summary>The fields whose values, together, are counted.</summary>
        public IReadOnlyList<MatchField> Fields { get; }
        /// <summary>The most records that may hold the value for the rule to count it.</summary>
        public int MaxRecords { get; }
        /// <summary>The fields' names joined by "+" (FirstName+LastName): the frequency table's key.</summary>
        public string Key { get; }

        internal long HashOf(string[] values)
        {
            var h = 14695981039346656037UL;
            foreach (var f in Fields)
            {
                var v = values[(int)f];
                if (v.Length == 0) return 0;
                foreach (var c in v) h = (h ^ c) * 1099511628211UL;
                h = (h ^ '\u0001') * 1099511628211UL;
            }
            return unchecked((long)(h == 0 ? 1 : h));
        }

        /// <inheritdoc />
        public override string ToString() => Fields.Count == 0 ? Key : string.Join("+", Fields) + " held by at most " + MaxRecords + (DistinctLastNames ? " different last names" : " records");
    }

    /// <summary>
    /// Term frequency scaled to the data (issue 16): a rule with a chance limit holds only when the number of records
    /// expected to agree with the pair on all of <see cref="Parts"/> by coincidence, N x (n1/N) x (n2/N) x ... (N records,
    /// n1 of them holding the pair's first value, ...), is at most <see cref="MaxExpected"/>. "John Smith" at a large
    /// company's office postal code is expected many times over among different people; a rare name at a small office
    /// is not. The same limit holds at 10,000 and at 1,000,000 records because it scales with N.
    /// </summary>
    public sealed class ChanceLimit
    {
        /// <summary>Creates a limit; each part is one value counted on its own (first and last name together are the full name).</summary>
        public ChanceLimit(double maxExpected, params MatchField[][] parts)
        {
            if (parts == null || parts.Length == 0) throw new ArgumentException("A chance limit needs at least one part.", nameof(parts));
            MaxExpected = maxExpected;
            Parts = parts.Select(p => new RareValue(int.MaxValue, p)).ToArray();
        }

        /// <summary>The most records expected to agree by coincidence for the rule to hold.</summary>
        public double MaxExpected { get; }
        /// <summary>The values counted (their own record limits are not used).</summary>
        public IReadOnlyList<RareValue> Parts { get; }

        /// <summary>The expected number of coincidental agreements for a pair (the larger of the two records' figures); 0 without frequencies.</summary>
        public double Expected(ValueFrequencies frequencies, string[] a, string[] b)
        {
            double Of(string[] v)
            {
                if (frequencies.Records == 0) return 0;
                double e = frequencies.Records;
                foreach (var p in Parts) e *= Math.Max(1, frequencies.Count(p, v)) / (double)frequencies.Records;
                return e;
            }
            return Math.Max(Of(a), Of(b));
        }

        /// <inheritdoc />
        public override string ToString() => "chance agreement on " + string.Join(", ", Parts.Select(p => p.Key)) + " at most " + MaxExpected.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// How many records of the data being matched hold each value that a strategy's rare-value limits count
    /// (<see cref="RareValue"/>), computed from that data. Without a table (two records compared alone) every value is rare.
    /// </summary>
    public sealed class ValueFrequencies
    {
        private readonly Dictionary<string, Dictionary<long, int>> _counts = new Dictionary<string, Dictionary<long, int>>(StringComparer.Ordinal);
        private readonly RareValue[] _specs;
        private readonly HashSet<long> _holders = new HashSet<long>();

        /// <summary>An empty table for the strategy's rare-value limits; fill it with <see cref="Add(string[])"/>.</summary>
        public ValueFrequencies(MatchStrategy strategy)
        {
            var specs = new List<RareValue>();
            foreach (var rule in strategy.Rules)
            {
                foreach (var rv in rule.RareValues.Concat(rule.Chance == null ? Enumerable.Empty<RareValue>() : rule.Chance.Parts))
                {
                    if (_counts.ContainsKey(rv.Key)) continue;
                    _counts[rv.Key] = new Dictionary<long, int>();
                    specs.Add(rv);
                }
            }
            foreach (var rv in strategy.Vetoes.Select(v => v.OverruledBy).Where(v => v != null))
            {
                if (_counts.ContainsKey(rv!.Key)) continue;
                _counts[rv.Key] = new Dictionary<long, int>();
                specs.Add(rv);
            }
            if (strategy.Vetoes.Any(v => v.CommonRecords > 0))
            {
                foreach (var rv in new[] { MatchVeto.FirstNameCount, MatchVeto.LastNameCount })
                {
                    if (_counts.ContainsKey(rv.Key)) continue;
                    _counts[rv.Key] = new Dictionary<long, int>();
                    specs.Add(rv);
                }
            }
            _specs = specs.ToArray();
        }

        /// <summary>How many records hold <paramref name="value"/> in the single field <paramref name="field"/> of <paramref name="spec"/>.</summary>
        internal int CountOf(RareValue spec, int field, string value)
        {
            var values = _one ??= new string[MatchStrategy.FieldCount];
            for (var i = 0; i < values.Length; i++) values[i] = string.Empty;
            values[field] = value;
            return Count(spec, values);
        }

        [ThreadStatic] private static string[]? _one;

        /// <summary>True when the strategy has rare-value limits (else nothing needs counting).</summary>
        public bool IsNeeded => _specs.Length > 0;

        /// <summary>Records read into the table.</summary>
        public long Records { get; private set; }

        /// <summary>Counts one record's normalised values.</summary>
        public void Add(MatchKey key) => Add(key.Values);

        internal void Add(string[] values)
        {
            Records++;
            foreach (var spec in _specs)
            {
                var h = spec.HashOf(values);
                if (h == 0) continue;
                var table = _counts[spec.Key];
                if (spec.DistinctLastNames)
                {
                    // Counted once per (value, last name).
                    var holder = h;
                    foreach (var c in values[(int)MatchField.LastName]) holder = unchecked((holder ^ c) * 1099511628211L);
                    holder = unchecked((holder ^ spec.Key.Length) * 1099511628211L);
                    if (!_holders.Add(holder)) continue;
                }
                table.TryGetValue(h, out var n);
                table[h] = n + 1;
            }
        }

        /// <summary>How many records hold the record's value of <paramref name="spec"/>'s fields (0 when blank or not counted).</summary>
        public int Count(RareValue spec, string[] values)
        {
            if (!_counts.TryGetValue(spec.Key, out var table)) return 0;
            var h = spec.HashOf(values);
            return h != 0 && table.TryGetValue(h, out var n) ? n : 0;
        }

        /// <summary>As <see cref="Count(RareValue, string[])"/> for a normalised record.</summary>
        public int Count(RareValue spec, MatchKey key) => Count(spec, key.Values);
    }

    public sealed partial class MatchStrategy
    {
        private MatchVeto[] _vetoes = Array.Empty<MatchVeto>();

        /// <summary>The vetoes: contradicting evidence that rejects a pair whatever rule holds (see <see cref="MatchVeto"/>).</summary>
        public IReadOnlyList<MatchVeto> Vetoes => _vetoes;

        /// <summary>Adds vetoes to the strategy (before it is used); returns the strategy.</summary>
        public MatchStrategy AddVetoes(params MatchVeto[] vetoes)
        {
            _vetoes = _vetoes.Concat(vetoes).ToArray();
            NormaliseAlso(vetoes.SelectMany(v => v.Disagreements.Concat(v.Agreements).Select(c => c.Field)
                .Concat(v.OverruledBy?.Fields ?? Array.Empty<MatchField>())
                .Concat(v.IsNameConflict || v.IsSiblingConflict || v.CommonRecords > 0 ? new[] { MatchField.FirstName, MatchField.LastName, MatchField.BirthDate } : Array.Empty<MatchField>())));
            return this;
        }

        /// <summary>The first veto that fires on the pair (with the data's value frequencies when known), or null.</summary>
        public MatchVeto? VetoOf(MatchKey a, MatchKey b, ValueFrequencies? frequencies = null) => VetoOf(a.Values, b.Values, frequencies);

        internal MatchVeto? VetoOf(string[] a, string[] b, ValueFrequencies? frequencies)
        {
            foreach (var v in _vetoes) if (v.Fires(a, b, frequencies)) return v;
            return null;
        }

        /// <summary>
        /// The strategy safest to merge on (issue 16), the default of Find-CrmDuplicate: Salesforce's and the person
        /// rules with vetoes on contradicting evidence (a different mailbox at the same domain; different email, phone
        /// and street together; a clearly different birth date or name) and term-frequency limits on shared values (a
        /// phone or street that records of more than three different last names share is an office's, not a person's).
        /// </summary>
        public static MatchStrategy SafeMerge()
        {
            MatchCondition First(double t = 85) => new MatchCondition(MatchField.FirstName, MatchMethod.FuzzyFirstName, t);
            MatchCondition Last(double t = 90) => new MatchCondition(MatchField.LastName, MatchMethod.JaroWinkler, t);
            MatchRule R(string n, MatchCondition[] cs, params RareValue[] rare) => new MatchRule(n, new[] { First(), Last() }.Concat(cs), true, rare);
            var email = new MatchCondition(MatchField.Email, MatchMethod.Exact);
            var phone = new MatchCondition(MatchField.Phone, MatchMethod.FuzzyPhone, 80);
            var street = new MatchCondition(MatchField.Street, MatchMethod.EditDistance, 80);
            var city = new MatchCondition(MatchField.City, MatchMethod.Exact);
            var postal = new MatchCondition(MatchField.PostalCode, MatchMethod.Exact);
            var title = new MatchCondition(MatchField.Title, MatchMethod.JaroWinkler, 85);
            var company = new MatchCondition(MatchField.Company, MatchMethod.FuzzyCompany, 90);
            var birth = new MatchCondition(MatchField.BirthDate, MatchMethod.EditDistance, 75);
            var rarePhone = new RareValue(3, true, MatchField.Phone);
            // The same government id, held by at most 10 records (one person's copies; a value more records share is a
            // placeholder), is evidence that outweighs a different birth date or different contact details.
            var rareId = new RareValue(10, MatchField.NationalId);
            var nationalId = new MatchCondition(MatchField.NationalId, MatchMethod.Exact);
            var birthExact = new MatchCondition(MatchField.BirthDate, MatchMethod.Exact);
            var fullName = new[] { MatchField.FirstName, MatchField.LastName };
            var strategy = new MatchStrategy("SafeMerge", new[]
            {
                R("Name+Email", new[] { email }),
                new MatchRule("Email+FirstName", new[] { email, First() }),
                new MatchRule("Email+LastName", new[] { email, Last(85) }),
                new MatchRule("Email+BirthDate", new[] { email, birth }),
                R("Name+Phone", new[] { phone }, rarePhone),
                R("Name+BirthDate", new[] { birth }),
                new MatchRule("Name+Street+City", new[] { First(), Last(), street, city }, true, null, new ChanceLimit(0.01, fullName, new[] { MatchField.Street })),
                new MatchRule("Name+Street+PostalCode", new[] { First(), Last(), street, postal }, true, null, new ChanceLimit(0.01, fullName, new[] { MatchField.Street })),
                R("Name+Street+Phone", new[] { street, phone }, rarePhone),
                new MatchRule("Name+PostalCode+City", new[] { First(), Last(), postal, new MatchCondition(MatchField.City, MatchMethod.JaroWinkler, 90) }, true, null,
                    new ChanceLimit(0.01, fullName, new[] { MatchField.PostalCode })),
                new MatchRule("Name+Title+Company", new[] { First(), Last(), title, company }, true, null,
                    new ChanceLimit(0.02, fullName, new[] { MatchField.Company }, new[] { MatchField.Title })),
                // The person rules (PersonRecords) for data without a CRM's contact fields.
                new MatchRule("Name+Street", new[] { First(), Last(88), street }, true, null, new ChanceLimit(0.01, fullName, new[] { MatchField.Street })),
                new MatchRule("FirstName+BirthDate+Email", new[] { First(), new MatchCondition(MatchField.BirthDate, MatchMethod.Exact), new MatchCondition(MatchField.Email, MatchMethod.JaroWinkler, 80) }),
                new MatchRule("LastName+BirthDate+City", new[] { Last(85), new MatchCondition(MatchField.BirthDate, MatchMethod.Exact), new MatchCondition(MatchField.City, MatchMethod.JaroWinkler, 90) }),
                // The birth date exact in the rules without both names: the birth-date blocks then cover them (a fuzzy one
                // would need plain name blocks, thousands of "smit|j" at a million leads).
                new MatchRule("FirstName+BirthDate+City", new[] { First(), new MatchCondition(MatchField.BirthDate, MatchMethod.Exact), new MatchCondition(MatchField.City, MatchMethod.JaroWinkler, 90) }),
                new MatchRule("LastName+BirthDate+Email", new[] { Last(80), new MatchCondition(MatchField.BirthDate, MatchMethod.Exact), new MatchCondition(MatchField.Email, MatchMethod.JaroWinkler, 80) }),
                new MatchRule("LooseName+City", new[] { First(80), Last(80), city, new MatchCondition(MatchField.BirthDate, MatchMethod.EditDistance, 60) }),
                new MatchRule("BirthDate+LastName+Initial", new[] { new MatchCondition(MatchField.BirthDate, MatchMethod.Exact), Last(85), new MatchCondition(MatchField.FirstName, MatchMethod.Initials) }),
                // A government id: with the full name, or with the birth date and one of the names (a copy whose other
                // name was replaced or changed by marriage).
                R("Name+NationalId", new[] { nationalId }, rareId),
                new MatchRule("NationalId+BirthDate+FirstName", new[] { nationalId, birthExact, First() }, false, new[] { rareId }),
                new MatchRule("NationalId+BirthDate+LastName", new[] { nationalId, birthExact, Last(85) }, false, new[] { rareId }),
            }, gmailRules: true);
            return strategy.AddVetoes(
                new MatchVeto("DifferentMailbox", new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact) }, new[] { new MatchCondition(MatchField.Email, MatchMethod.SameEmailDomain) }).UnlessSame(rareId).UnlessTypedOverMailbox(),
                new MatchVeto("DifferentContactDetails", new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact), new MatchCondition(MatchField.Phone, MatchMethod.FuzzyPhone, 80), new MatchCondition(MatchField.Street, MatchMethod.EditDistance, 60) }).UnlessSame(rareId),
                new MatchVeto("DifferentEmailAndPhone", new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact), new MatchCondition(MatchField.Phone, MatchMethod.SameLastCharacters, 100, 7) }).UnlessSame(rareId),
                new MatchVeto("DifferentBirthDate", new[] { new MatchCondition(MatchField.BirthDate, MatchMethod.EditDistance, 50) }).UnlessSame(rareId),
                MatchVeto.DifferentNames(),
                MatchVeto.DifferentCommonNames(),
                MatchVeto.DifferentFirstNameAndBirthDate().UnlessSame(rareId),
                MatchVeto.DifferentGeneration());
        }

        // PersonRecords' vetoes (issue 16): the contradicting evidence that does not cost its fake_1000 F1 (0.885 -> 0.883;
        // the DifferentMailbox, DifferentBirthDate and siblings vetoes would take it to 0.858-0.863: that set's copies carry
        // typed-over mailboxes and replaced birth dates). On the crowded generator precision 0.023 -> 0.785.
        private static MatchStrategy PersonRecordsVetoes(MatchStrategy strategy)
        {
            var rareId = new RareValue(10, MatchField.NationalId);
            return strategy.AddVetoes(
                MatchVeto.NumberedMailbox().UnlessSame(rareId),
                new MatchVeto("DifferentContactDetails", new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact), new MatchCondition(MatchField.Phone, MatchMethod.FuzzyPhone, 80), new MatchCondition(MatchField.Street, MatchMethod.EditDistance, 60) }).UnlessSame(rareId),
                new MatchVeto("DifferentEmailAndPhone", new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact), new MatchCondition(MatchField.Phone, MatchMethod.SameLastCharacters, 100, 7) }).UnlessSame(rareId),
                MatchVeto.DifferentCommonNames(),
                MatchVeto.DifferentGeneration());
        }

        private bool RareEnough(MatchRule rule, string[] a, string[] b, ValueFrequencies? frequencies)
        {
            if (frequencies == null || (rule.RareValues.Count == 0 && rule.Chance == null)) return true;
            foreach (var rv in rule.RareValues)
            {
                if (Math.Max(frequencies.Count(rv, a), frequencies.Count(rv, b)) > rv.MaxRecords) return false;
            }
            return rule.Chance == null || rule.Chance.Expected(frequencies, a, b) <= rule.Chance.MaxExpected;
        }

        /// <summary>
        /// Whether two records must not share a group (group safety): a veto fires, or their names clearly differ (both
        /// first names present and unlike, nicknames and initials allowed, or both last names present and unlike), in
        /// both orientations (first and last name may be swapped). Two such records are never joined through others.
        /// </summary>
        public bool CannotLink(MatchKey a, MatchKey b, ValueFrequencies? frequencies = null) => CannotLink(a.Values, b.Values, frequencies);

        // Names are universal; a different mailbox at one domain is the strategy's call (SafeMerge vetoes it; PersonRecords
        // pairs typed-over addresses on purpose: Splink's fake_1000 has them).
        internal bool CannotLink(string[] a, string[] b, ValueFrequencies? frequencies) =>
            Probabilistic != null ? DefaultModel!.CannotLink(a, b) : VetoOf(a, b, frequencies) != null || NamesConflict(a, b);

        /// <summary>First names below this (fuzzy first-name score) or last names below <see cref="ConflictingLastName"/> (Jaro-Winkler) conflict.</summary>
        public const double ConflictingFirstName = 70;
        /// <summary>See <see cref="ConflictingFirstName"/>.</summary>
        public const double ConflictingLastName = 75;

        internal static bool NamesConflict(string[] a, string[] b)
        {
            // The same birth date outweighs a different name (a record under a nickname the table lacks, a typed-over name).
            var da = a[(int)MatchField.BirthDate];
            if (da.Length > 0 && string.Equals(da, b[(int)MatchField.BirthDate], StringComparison.Ordinal)) return false;
            var fa = a[(int)MatchField.FirstName];
            var la = a[(int)MatchField.LastName];
            var fb = b[(int)MatchField.FirstName];
            var lb = b[(int)MatchField.LastName];
            bool Conflict(string f1, string l1, string f2, string l2) =>
                (f1.Length > 0 && f2.Length > 0 && Comparators.FirstName(f1, f2) < ConflictingFirstName)
                || (l1.Length > 0 && l2.Length > 0 && Comparators.JaroWinkler(l1, l2) < ConflictingLastName);
            return Conflict(fa, la, fb, lb) && Conflict(fa, la, lb, fb);
        }
    }
}

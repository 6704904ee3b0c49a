using System;
using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Records;

namespace LeadTools.Core.Matching
{
    /// <summary>The logical fields matching knows, each with its normaliser.</summary>
    public enum MatchField
    {
        /// <summary>Given name (normalised as a person name).</summary>
        FirstName,
        /// <summary>Family name.</summary>
        LastName,
        /// <summary>Email (case, whitespace; gmail rules optional).</summary>
        Email,
        /// <summary>Phone (E.164-like digits).</summary>
        Phone,
        /// <summary>Company / account name (legal suffixes, "The").</summary>
        Company,
        /// <summary>Job title.</summary>
        Title,
        /// <summary>Street.</summary>
        Street,
        /// <summary>City.</summary>
        City,
        /// <summary>Postal code.</summary>
        PostalCode,
        /// <summary>Date of birth (letters and digits only).</summary>
        BirthDate,
        /// <summary>
        /// A government-issued person identifier (Dataverse contact's <c>governmentid</c>, a national-id or social
        /// security number custom field): letters and digits only; placeholders (fewer than 4 characters, one repeated
        /// character, 123456789) are blank.
        /// </summary>
        NationalId,
    }

    /// <summary>How a condition compares two normalised values.</summary>
    public enum MatchMethod
    {
        /// <summary>Equal normalised values.</summary>
        Exact,
        /// <summary>Jaro-Winkler, 0-100.</summary>
        JaroWinkler,
        /// <summary>Damerau edit-distance similarity, 0-100.</summary>
        EditDistance,
        /// <summary>Initial against a full name (J vs Jonathan).</summary>
        Initials,
        /// <summary>Nickname variants (Bob vs Robert).</summary>
        Nickname,
        /// <summary>Salesforce fuzzy first name: best of Jaro-Winkler, initials, nickname.</summary>
        FuzzyFirstName,
        /// <summary>Salesforce fuzzy company: acronyms, Jaro-Winkler, edit distance.</summary>
        FuzzyCompany,
        /// <summary>Salesforce fuzzy phone: by sections.</summary>
        FuzzyPhone,
        /// <summary>Dataverse: same first N characters.</summary>
        SameFirstCharacters,
        /// <summary>Dataverse: same last N characters.</summary>
        SameLastCharacters,
        /// <summary>Emails at the same domain (the part after @), 100 or 0: with a different mailbox, the veto of two people at one company.</summary>
        SameEmailDomain,
    }

    /// <summary>One condition of a rule: a field, a method and the score it must reach.</summary>
    public sealed class MatchCondition
    {
        /// <summary>Creates a condition.</summary>
        public MatchCondition(MatchField field, MatchMethod method, double threshold = 100, int characters = 0, bool matchBlank = false)
            : this(field, field.ToString(), method, threshold, characters, matchBlank)
        {
        }

        /// <summary>
        /// Creates a condition on a field named by text: a built-in field name (<c>Email</c>) or any other name, a
        /// custom field (<c>Topic</c>, <c>subject</c>) that the strategy reads from the record fields named in its
        /// custom field list (by default the record field of the same name) and normalises as text.
        /// </summary>
        public MatchCondition(string field, MatchMethod method, double threshold = 100, int characters = 0, bool matchBlank = false)
            : this(BuiltInField(field) ?? UnresolvedField, BuiltInField(field)?.ToString() ?? field, method, threshold, characters, matchBlank)
        {
            if (string.IsNullOrWhiteSpace(field)) throw new ArgumentException("A condition needs a field name.", nameof(field));
        }

        private MatchCondition(MatchField field, string fieldName, MatchMethod method, double threshold, int characters, bool matchBlank)
        {
            Field = field;
            FieldName = fieldName;
            Method = method;
            Threshold = threshold;
            Characters = characters;
            MatchBlank = matchBlank;
        }

        // A custom field not yet given its slot by a strategy.
        internal const MatchField UnresolvedField = (MatchField)(-1);

        /// <summary>The built-in field of this exact name (case-sensitive, as in strategy files), or null.</summary>
        public static MatchField? BuiltInField(string? name) =>
            !string.IsNullOrEmpty(name) && char.IsLetter(name![0]) && Enum.TryParse<MatchField>(name, false, out var f) && Enum.IsDefined(typeof(MatchField), f) ? f : (MatchField?)null;

        /// <summary>The same condition on another field slot (a strategy placing its custom fields).</summary>
        internal MatchCondition WithField(MatchField field) => new MatchCondition(field, FieldName, Method, Threshold, Characters, MatchBlank);

        /// <summary>The field compared: a built-in field, or a custom field's slot in its strategy (numbered after the built-in ones).</summary>
        public MatchField Field { get; }
        /// <summary>The field's name: the built-in field's name or the custom field's name.</summary>
        public string FieldName { get; }
        /// <summary>True when the field is a custom field (any record field), not one of the built-in <see cref="MatchField"/>s.</summary>
        public bool IsCustomField => (int)Field < 0 || (int)Field >= MatchStrategy.FieldCount;
        /// <summary>The comparison.</summary>
        public MatchMethod Method { get; }
        /// <summary>Minimum score (0-100).</summary>
        public double Threshold { get; }
        /// <summary>N for the same-first/last-N-characters methods.</summary>
        public int Characters { get; }
        /// <summary>Two blank values count as a match (off by default: blanks never match).</summary>
        public bool MatchBlank { get; }

        /// <summary>Scores two normalised values with this condition's method (0-100).</summary>
        public double Score(string a, string b)
        {
            if (a.Length == 0 || b.Length == 0) return MatchBlank && a.Length == 0 && b.Length == 0 ? 100 : 0;
            switch (Method)
            {
                case MatchMethod.Exact: return Comparators.Exact(a, b);
                case MatchMethod.JaroWinkler: return Comparators.JaroWinkler(a, b);
                case MatchMethod.EditDistance: return Comparators.EditSimilarity(a, b);
                case MatchMethod.Initials: return Comparators.Initials(a, b);
                case MatchMethod.Nickname: return Comparators.Nickname(a, b);
                case MatchMethod.FuzzyFirstName: return Comparators.FirstName(a, b);
                case MatchMethod.FuzzyCompany: return Comparators.Company(a, b);
                case MatchMethod.FuzzyPhone: return Comparators.Phone(a, b);
                case MatchMethod.SameFirstCharacters: return Comparators.SameFirst(a, b, Characters);
                case MatchMethod.SameLastCharacters: return Comparators.SameLast(a, b, Characters);
                case MatchMethod.SameEmailDomain: return Comparators.SameEmailDomain(a, b);
                default: return 0;
            }
        }

        /// <inheritdoc />
        public override string ToString() => FieldName + " " + Method + (Characters > 0 ? "(" + Characters + ")" : string.Empty) + " >= " + Threshold;
    }

    /// <summary>A rule: all conditions must hold. With <see cref="AllowTransposedNames"/>, first and last name may be swapped.</summary>
    public sealed class MatchRule
    {
        /// <summary>Creates a rule.</summary>
        public MatchRule(string name, IEnumerable<MatchCondition> conditions, bool allowTransposedNames = false, IEnumerable<RareValue>? rareValues = null, ChanceLimit? chance = null)
        {
            Chance = chance;
            Name = name;
            Conditions = conditions.ToList();
            AllowTransposedNames = allowTransposedNames;
            RareValues = (rareValues ?? Enumerable.Empty<RareValue>()).ToList();
        }

        /// <summary>Term-frequency limits: the rule holds only when these values are rare in the data being matched (<see cref="RareValue"/>).</summary>
        public IReadOnlyList<RareValue> RareValues { get; }

        /// <summary>Term-frequency limit scaled to the data: the rule holds only when few records would agree on these values by coincidence (<see cref="ChanceLimit"/>).</summary>
        public ChanceLimit? Chance { get; }

        /// <summary>The rule's name, reported with each matched pair.</summary>
        public string Name { get; }
        /// <summary>The conditions, all of which must hold.</summary>
        public IReadOnlyList<MatchCondition> Conditions { get; }
        /// <summary>First and last name conditions also hold with the names swapped.</summary>
        public bool AllowTransposedNames { get; }
    }

    /// <summary>
    /// A matching strategy (SPEC 6.1): rules, any of which makes two records match, and the field names that
    /// feed each logical field (so one strategy runs on Salesforce, Dataverse and plain CSV exports).
    /// </summary>
    public sealed partial class MatchStrategy
    {
        /// <summary>Field names tried, in order, for each logical field (case-insensitive).</summary>
        public static readonly IReadOnlyDictionary<MatchField, string[]> DefaultFieldNames = new Dictionary<MatchField, string[]>
        {
            [MatchField.FirstName] = new[] { "FirstName", "first_name", "given_name", "firstname", "forename", "first" },
            [MatchField.LastName] = new[] { "LastName", "last_name", "surname", "lastname", "family_name", "last" },
            [MatchField.Email] = new[] { "Email", "emailaddress1", "email_address", "email", "PersonEmail" },
            [MatchField.Phone] = new[] { "Phone", "telephone1", "phone_number", "MobilePhone", "mobilephone", "phone" },
            [MatchField.Company] = new[] { "Company", "companyname", "company_name", "AccountName", "Account.Name", "organization", "organisation" },
            [MatchField.Title] = new[] { "Title", "jobtitle", "job_title" },
            [MatchField.Street] = new[] { "Street", "MailingStreet", "address1_line1", "address_1", "address", "street_address", "Address" },
            [MatchField.City] = new[] { "City", "MailingCity", "address1_city", "suburb", "city" },
            [MatchField.PostalCode] = new[] { "PostalCode", "MailingPostalCode", "address1_postalcode", "postcode", "zip", "zipcode", "postal_code" },
            [MatchField.BirthDate] = new[] { "Birthdate", "birthdate", "date_of_birth", "dob" },
            [MatchField.NationalId] = new[] { "GovernmentId", "NationalId", "national_id", "government_id", "soc_sec_id", "SocialSecurityNumber", "social_security_number", "ssn" },
        };

        /// <summary>Creates a strategy.</summary>
        /// <remarks>
        /// <paramref name="customFields"/> names custom fields (any field beyond the built-in ten: a lead's topic, a
        /// product lookup) with the record field names that feed each, tried in order; a condition naming a custom
        /// field that is not listed reads the record field of its own name. Custom fields are normalised as text.
        /// </remarks>
        public MatchStrategy(string name, IEnumerable<MatchRule> rules, IDictionary<MatchField, string[]>? fieldNames = null, bool gmailRules = false, string defaultCountryCode = "1",
            IEnumerable<KeyValuePair<string, string[]>>? customFields = null)
        {
            Name = name;
            var names = new Dictionary<MatchField, string[]>();
            foreach (var kv in DefaultFieldNames) names[kv.Key] = kv.Value;
            if (fieldNames != null) foreach (var kv in fieldNames) names[kv.Key] = kv.Value;
            Rules = PlaceCustomFields(rules.ToList(), customFields, names, out var custom);
            CustomFields = custom;
            ValueCount = FieldCount + custom.Count;
            FieldNames = names;
            GmailRules = gmailRules;
            DefaultCountryCode = defaultCountryCode;
            _used = new bool[ValueCount];
            foreach (var f in UsedFields) _used[(int)f] = true;
            _lookups = names.Where(kv => _used[(int)kv.Key]).Select(kv => new KeyValuePair<MatchField, string[]>(kv.Key, kv.Value)).ToArray();

            // Conditions that compare the same field the same way share a score slot, so a pair scores e.g. its first
            // and last names once for all nine SalesforceStandard rules rather than once per rule.
            var signatures = new Dictionary<(MatchField, MatchMethod, int, bool), int>();
            _slots = new int[Rules.Count][];
            for (var r = 0; r < Rules.Count; r++)
            {
                var conditions = Rules[r].Conditions;
                _slots[r] = new int[conditions.Count];
                for (var c = 0; c < conditions.Count; c++)
                {
                    var sig = (conditions[c].Field, conditions[c].Method, conditions[c].Characters, conditions[c].MatchBlank);
                    if (!signatures.TryGetValue(sig, out var slot)) signatures[sig] = slot = signatures.Count;
                    _slots[r][c] = slot;
                }
            }
            _slotCount = signatures.Count;
        }

        private readonly int[][] _slots;
        private readonly int _slotCount;

        // Gives each custom field a slot after the built-in fields (in the order listed, then in the order the rules
        // name them) and its record field names; conditions on custom fields are re-made with their slot.
        private static List<MatchRule> PlaceCustomFields(List<MatchRule> rules, IEnumerable<KeyValuePair<string, string[]>>? declared, Dictionary<MatchField, string[]> names, out List<string> custom)
        {
            var order = new List<string>();
            var recordNames = new List<string[]>();
            int SlotOf(string field)
            {
                var i = order.FindIndex(n => string.Equals(n, field, StringComparison.OrdinalIgnoreCase));
                if (i >= 0) return i;
                if (Enum.GetNames(typeof(MatchField)).Any(n => string.Equals(n, field, StringComparison.OrdinalIgnoreCase)))
                    throw new ArgumentException($"'{field}' differs from the built-in field {Enum.GetNames(typeof(MatchField)).First(n => string.Equals(n, field, StringComparison.OrdinalIgnoreCase))} only in case; write it as the built-in name.");
                order.Add(field);
                recordNames.Add(new[] { field });
                return order.Count - 1;
            }
            if (declared != null)
            {
                foreach (var kv in declared)
                {
                    if (string.IsNullOrWhiteSpace(kv.Key)) throw new ArgumentException("A custom field needs a name.");
                    if (MatchCondition.BuiltInField(kv.Key) != null) throw new ArgumentException($"'{kv.Key}' is a built-in field, not a custom one.");
                    if (kv.Value == null || kv.Value.Length == 0 || kv.Value.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException($"Custom field '{kv.Key}' needs at least one record field name.");
                    recordNames[SlotOf(kv.Key)] = kv.Value;
                }
            }
            var placed = new List<MatchRule>(rules.Count);
            foreach (var rule in rules)
            {
                if (!rule.Conditions.Any(c => c.Field == MatchCondition.UnresolvedField)) { placed.Add(rule); continue; }
                var conditions = rule.Conditions.Select(c => c.Field == MatchCondition.UnresolvedField ? c.WithField((MatchField)(FieldCount + SlotOf(c.FieldName))) : c).ToList();
                placed.Add(new MatchRule(rule.Name, conditions, rule.AllowTransposedNames, rule.RareValues, rule.Chance));
            }
            for (var i = 0; i < order.Count; i++) names[(MatchField)(FieldCount + i)] = recordNames[i];
            custom = order;
            return placed;
        }

        /// <summary>The custom fields (beyond the built-in <see cref="MatchField"/>s), in slot order: slot <c>FieldCount + i</c> is <c>CustomFields[i]</c>.</summary>
        public IReadOnlyList<string> CustomFields { get; }

        /// <summary>Normalised values per record: the built-in fields, then the custom fields.</summary>
        public int ValueCount { get; }

        /// <summary>The name of a field of this strategy: a built-in field's name or a custom field's name.</summary>
        public string FieldName(MatchField field)
        {
            var i = (int)field - FieldCount;
            return i >= 0 && i < CustomFields.Count ? CustomFields[i] : field.ToString();
        }

        /// <summary>A scratch buffer for <see cref="Match(MatchKey, MatchKey, double[])"/>: reuse one per thread.</summary>
        public double[] CreateScratch() => new double[_slotCount * 2];

        // Only the fields some rule reads are looked up and normalised: a record is normalised once, before blocking.
        private bool[] _used;
        private KeyValuePair<MatchField, string[]>[] _lookups;

        // The fields a veto reads are normalised too (a veto on the phone needs the phone even when no rule compares it);
        // blocking still keys only on the rules' fields (UsedFields).
        private void NormaliseAlso(IEnumerable<MatchField> fields)
        {
            var used = (bool[])_used.Clone();
            foreach (var f in fields) if ((int)f >= 0 && (int)f < used.Length) used[(int)f] = true;
            _used = used;
            _lookups = FieldNames.Where(kv => _used[(int)kv.Key]).Select(kv => new KeyValuePair<MatchField, string[]>(kv.Key, kv.Value)).ToArray();
        }

        /// <summary>The strategy's name.</summary>
        public string Name { get; }
        /// <summary>The rules; a pair matches when any holds.</summary>
        public IReadOnlyList<MatchRule> Rules { get; }
        /// <summary>Record field names per logical field.</summary>
        public IReadOnlyDictionary<MatchField, string[]> FieldNames { get; }
        /// <summary>Gmail dots and +tags are ignored in emails.</summary>
        public bool GmailRules { get; }
        /// <summary>Country calling code for national phone numbers.</summary>
        public string DefaultCountryCode { get; }

        /// <summary>The fields any rule reads.</summary>
        public IEnumerable<MatchField> UsedFields => Rules.SelectMany(r => r.Conditions).Select(c => c.Field).Distinct();

        /// <summary>Normalises one record's values for this strategy.</summary>
        public MatchKey Normalise(CrmRecord record)
        {
            var values = new string[ValueCount];
            for (var i = 0; i < values.Length; i++) values[i] = string.Empty;
            foreach (var kv in _lookups)
            {
                string? raw = null;
                foreach (var n in kv.Value)
                {
                    raw = record.GetString(n);
                    if (!string.IsNullOrWhiteSpace(raw)) break;
                }
                values[(int)kv.Key] = NormaliseValue(kv.Key, raw);
            }
            return new MatchKey(record, values);
        }

        internal const int FieldCount = 11;

        /// <summary>
        /// For a record shape (its field names in order), the position of each candidate field name of each looked-up
        /// field, in the order they are tried (-1 when absent): records of one file share a shape, so the names are
        /// looked up once per file rather than once per record and field.
        /// </summary>
        internal int[][] PositionsIn(CrmRecord record)
        {
            var positions = new int[_lookups.Length][];
            for (var l = 0; l < _lookups.Length; l++)
            {
                var names = _lookups[l].Value;
                positions[l] = new int[names.Length];
                for (var n = 0; n < names.Length; n++) positions[l][n] = record.IndexOf(names[n]);
            }
            return positions;
        }

        /// <summary>
        /// Normalised values of the fields whose raw values repeat across records (names, company, title, city,
        /// postal code, birth date), by raw value: normalising is a function of the field and the raw text only, so a
        /// million records normalise each distinct company or title once and share the result. One per thread.
        /// </summary>
        internal sealed class NormaliseCache
        {
            private const int MaxPerField = 200_000;
            private readonly Dictionary<string, string>?[] _byField = new Dictionary<string, string>?[FieldCount];

            internal NormaliseCache()
            {
                foreach (var f in new[] { MatchField.FirstName, MatchField.LastName, MatchField.Company, MatchField.Title, MatchField.City, MatchField.PostalCode, MatchField.BirthDate })
                    _byField[(int)f] = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            internal string Get(MatchStrategy strategy, MatchField field, string? raw)
            {
                var cache = (int)field < FieldCount ? _byField[(int)field] : null;
                if (cache == null || raw == null) return strategy.NormaliseValue(field, raw);
                if (cache.TryGetValue(raw, out var normalised)) return normalised;
                normalised = strategy.NormaliseValue(field, raw);
                if (cache.Count < MaxPerField) cache[raw] = normalised;
                return normalised;
            }
        }

        /// <summary>As <see cref="Normalise(CrmRecord)"/> with the field positions of the record's shape (<see cref="PositionsIn"/>).</summary>
        internal string[] NormaliseAt(CrmRecord record, int[][] positions, NormaliseCache? cache = null)
        {
            var values = new string[ValueCount];
            for (var i = 0; i < values.Length; i++) values[i] = string.Empty;
            for (var l = 0; l < _lookups.Length; l++)
            {
                string? raw = null;
                foreach (var p in positions[l])
                {
                    raw = p < 0 ? null : RecordValue.ToText(record.ValueAt(p));
                    if (!string.IsNullOrWhiteSpace(raw)) break;
                }
                values[(int)_lookups[l].Key] = cache != null ? cache.Get(this, _lookups[l].Key, raw) : NormaliseValue(_lookups[l].Key, raw);
            }
            return values;
        }

        /// <summary>Normalises a raw value of a logical field.</summary>
        public string NormaliseValue(MatchField field, string? raw)
        {
            switch (field)
            {
                case MatchField.Email: return Normalizers.Email(raw, GmailRules);
                case MatchField.Phone: return Normalizers.Phone(raw, DefaultCountryCode);
                case MatchField.Company: return Normalizers.Company(raw);
                case MatchField.Street: return Normalizers.Street(raw);
                case MatchField.PostalCode: return Normalizers.PostalCode(raw);
                case MatchField.NationalId: return Normalizers.NationalId(raw);
                default: return Normalizers.Text(raw);
            }
        }

        /// <summary>The first rule that holds, with its score (the mean of its conditions' scores); null when none.</summary>
        public MatchResult? Match(MatchKey a, MatchKey b) => Match(a, b, CreateScratch());

        /// <summary>
        /// As <see cref="Match(MatchKey, MatchKey)"/>, with a caller's scratch buffer (from <see cref="CreateScratch"/>) so the
        /// hot loop of duplicate finding allocates nothing: each distinct condition is scored at most once per pair
        /// (and once more with the names transposed).
        /// </summary>
        public MatchResult? Match(MatchKey a, MatchKey b, double[] scratch) => Match(a.Values, b.Values, scratch);

        /// <summary>As <see cref="Match(MatchKey, MatchKey, double[])"/> on normalised value arrays (the finder's bulk storage).</summary>
        internal MatchResult? Match(string[] a, string[] b, double[] scratch) => Match(a, b, scratch, null);

        /// <summary>
        /// As <see cref="Match(MatchKey, MatchKey)"/> with the value frequencies of the data being matched (rules with
        /// rare-value limits hold only for rare values); a pair that a veto rejects does not match.
        /// </summary>
        public MatchResult? Match(MatchKey a, MatchKey b, ValueFrequencies? frequencies) => Match(a.Values, b.Values, CreateScratch(), frequencies);

        internal MatchResult? Match(string[] a, string[] b, double[] scratch, ValueFrequencies? frequencies)
        {
            if (Probabilistic != null) return DefaultModel!.Match(a, b); // no data to learn from here: the default parameters
            for (var i = 0; i < scratch.Length; i++) scratch[i] = double.NaN;
            var bestRule = -1;
            var bestScore = 0.0;
            for (var r = 0; r < Rules.Count; r++)
            {
                var score = EvaluateCached(r, a, b, false, scratch);
                if (!score.HasValue && Rules[r].AllowTransposedNames) score = EvaluateCached(r, a, b, true, scratch);
                if (score.HasValue && !RareEnough(Rules[r], a, b, frequencies)) score = null;
                if (score.HasValue && (bestRule < 0 || score.Value > bestScore))
                {
                    bestRule = r;
                    bestScore = score.Value;
                }
            }
            if (bestRule < 0 || (_vetoes.Length > 0 && VetoOf(a, b, frequencies) != null)) return null;
            return new MatchResult(Rules[bestRule].Name, bestScore);
        }

        private double? EvaluateCached(int r, string[] a, string[] b, bool transposed, double[] scratch)
        {
            var conditions = Rules[r].Conditions;
            if (conditions.Count == 0) return null;
            var slots = _slots[r];
            double sum = 0;
            for (var c = 0; c < conditions.Count; c++)
            {
                var cond = conditions[c];
                var field = cond.Field;
                var bf = field;
                if (transposed && field == MatchField.FirstName) bf = MatchField.LastName;
                else if (transposed && field == MatchField.LastName) bf = MatchField.FirstName;
                var slot = bf != field ? slots[c] + _slotCount : slots[c];
                var s = scratch[slot];
                if (double.IsNaN(s)) scratch[slot] = s = cond.Score(a[(int)field], b[(int)bf]);
                if (s < cond.Threshold) return null;
                sum += s;
            }
            return sum / conditions.Count;
        }

        /// <summary>
        /// Every rule evaluated on the pair, each with every condition (normalised values, score, threshold), for
        /// explanations: why two records do or do not match.
        /// </summary>
        public IReadOnlyList<RuleOutcome> Explain(MatchKey a, MatchKey b) => Explain(a, b, null);

        /// <summary>As <see cref="Explain(MatchKey, MatchKey)"/> with the value frequencies of the data (a rule whose rare-value limit fails does not hold; its outcome says which value was too common).</summary>
        public IReadOnlyList<RuleOutcome> Explain(MatchKey a, MatchKey b, ValueFrequencies? frequencies)
        {
            var outcomes = new List<RuleOutcome>(Rules.Count);
            foreach (var rule in Rules)
            {
                var trace = new List<ConditionOutcome>();
                var score = Evaluate(rule, a, b, trace);
                string? tooCommon = null;
                if (score.HasValue && frequencies != null)
                {
                    foreach (var rv in rule.RareValues)
                    {
                        var n = Math.Max(frequencies.Count(rv, a), frequencies.Count(rv, b));
                        if (n > rv.MaxRecords) { tooCommon = rv.Key + " is held by " + n + " records (more than " + rv.MaxRecords + ")"; break; }
                    }
                    if (tooCommon == null && rule.Chance != null)
                    {
                        var e = rule.Chance.Expected(frequencies, a.Values, b.Values);
                        if (e > rule.Chance.MaxExpected) tooCommon = string.Join(", ", rule.Chance.Parts.Select(p => p.Key)) + " would agree by chance on " + e.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " records (more than " + rule.Chance.MaxExpected.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")";
                    }
                    if (tooCommon != null) score = null;
                }
                outcomes.Add(new RuleOutcome(rule.Name, score, trace) { TooCommon = tooCommon });
            }
            return outcomes;
        }

        /// <summary>Evaluates a rule, returning its score or null when a condition fails; <paramref name="trace"/> gets each condition.</summary>
        public double? Evaluate(MatchRule rule, MatchKey a, MatchKey b, List<ConditionOutcome>? trace)
        {
            var straight = EvaluateOnce(rule, a, b, false, trace);
            if (straight.HasValue || !rule.AllowTransposedNames) return straight;
            var t = trace == null ? null : new List<ConditionOutcome>();
            var swapped = EvaluateOnce(rule, a, b, true, t);
            if (swapped.HasValue && trace != null) { trace.Clear(); trace.AddRange(t!); }
            return swapped;
        }

        private static double? EvaluateOnce(MatchRule rule, MatchKey a, MatchKey b, bool transposed, List<ConditionOutcome>? trace)
        {
            double sum = 0;
            var ok = true;
            foreach (var c in rule.Conditions)
            {
                var bf = c.Field;
                if (transposed && bf == MatchField.FirstName) bf = MatchField.LastName;
                else if (transposed && bf == MatchField.LastName) bf = MatchField.FirstName;
                var va = a[c.Field];
                var vb = b[bf];
                var s = c.Score(va, vb);
                var pass = s >= c.Threshold;
                trace?.Add(new ConditionOutcome(c, va, vb, s, pass, transposed && bf != c.Field));
                if (!pass)
                {
                    ok = false;
                    if (trace == null) return null;
                }
                sum += s;
            }
            return ok && rule.Conditions.Count > 0 ? sum / rule.Conditions.Count : (double?)null;
        }

        /// <summary>Finds a built-in strategy by name (SalesforceStandard, DataverseDefault, EmailExact), case-insensitively.</summary>
        public static MatchStrategy? BuiltIn(string name)
        {
            if (string.Equals(name, "SalesforceStandard", StringComparison.OrdinalIgnoreCase)) return SalesforceStandard();
            if (string.Equals(name, "DataverseDefault", StringComparison.OrdinalIgnoreCase)) return DataverseDefault();
            if (string.Equals(name, "EmailExact", StringComparison.OrdinalIgnoreCase)) return EmailExact();
            if (string.Equals(name, "PersonRecords", StringComparison.OrdinalIgnoreCase)) return PersonRecords();
            if (string.Equals(name, "SafeMerge", StringComparison.OrdinalIgnoreCase)) return SafeMerge();
            if (string.Equals(name, "Probabilistic", StringComparison.OrdinalIgnoreCase)) return ProbabilisticStrategy();
            return null;
        }

        /// <summary>The built-in strategy names.</summary>
        public static readonly string[] BuiltInNames = { "SafeMerge", "SalesforceStandard", "DataverseDefault", "EmailExact", "PersonRecords", "Probabilistic" };

        /// <summary>
        /// Salesforce's standard lead/contact matching rule: first name (fuzzy, 85) AND last name (fuzzy, 90), also
        /// transposed, AND one of (title AND company 70), email, (phone 80 AND company 70), (street 80 AND (city OR
        /// postal code OR phone 80)), (street AND title), (title AND email), phone. Blank values never match.
        /// </summary>
        public static MatchStrategy SalesforceStandard()
        {
            MatchCondition First() => new MatchCondition(MatchField.FirstName, MatchMethod.FuzzyFirstName, 85);
            MatchCondition Last() => new MatchCondition(MatchField.LastName, MatchMethod.JaroWinkler, 90);
            var title = new MatchCondition(MatchField.Title, MatchMethod.JaroWinkler, 85);
            var company = new MatchCondition(MatchField.Company, MatchMethod.FuzzyCompany, 70);
            var email = new MatchCondition(MatchField.Email, MatchMethod.Exact);
            var phone = new MatchCondition(MatchField.Phone, MatchMethod.FuzzyPhone, 80);
            var street = new MatchCondition(MatchField.Street, MatchMethod.EditDistance, 80);
            var city = new MatchCondition(MatchField.City, MatchMethod.Exact);
            var postal = new MatchCondition(MatchField.PostalCode, MatchMethod.Exact);
            MatchRule R(string n, params MatchCondition[] cs) => new MatchRule(n, new[] { First(), Last() }.Concat(cs), true);
            return new MatchStrategy("SalesforceStandard", new[]
            {
                R("Name+Email", email),
                R("Name+Phone", phone),
                R("Name+Title+Company", title, company),
                R("Name+Phone+Company", phone, company),
                R("Name+Street+City", street, city),
                R("Name+Street+PostalCode", street, postal),
                R("Name+Street+Phone", street, phone),
                R("Name+Street+Title", street, title),
                R("Name+Title+Email", title, email),
            });
        }

        /// <summary>
        /// Dynamics 365 default duplicate detection rules: same email (exact), or same first 3 characters of first name
        /// AND exact last name AND same last 7 characters of phone. Blanks are ignored (never match).
        /// </summary>
        public static MatchStrategy DataverseDefault() => new MatchStrategy("DataverseDefault", new[]
        {
            new MatchRule("EmailAddress", new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact) }),
            new MatchRule("Name+Phone", new[]
            {
                new MatchCondition(MatchField.FirstName, MatchMethod.SameFirstCharacters, 100, 3),
                new MatchCondition(MatchField.LastName, MatchMethod.Exact),
                new MatchCondition(MatchField.Phone, MatchMethod.SameLastCharacters, 100, 7),
            }),
        });

        /// <summary>
        /// People without a CRM's contact fields (consumer lists, the FEBRL and Splink test sets): fuzzy first and last
        /// name (also transposed) AND one of birth date, email, city, street or postal code; or exact email with a
        /// close last name; or exact birth date with a close last name and first initial.
        /// </summary>
        public static MatchStrategy PersonRecords()
        {
            MatchCondition First(double t = 85) => new MatchCondition(MatchField.FirstName, MatchMethod.FuzzyFirstName, t);
            MatchCondition Last(double t = 88) => new MatchCondition(MatchField.LastName, MatchMethod.JaroWinkler, t);
            MatchRule R(string n, params MatchCondition[] cs) => new MatchRule(n, new[] { First(), Last() }.Concat(cs), true);
            return PersonRecordsVetoes(new MatchStrategy("PersonRecords", new[]
            {
                R("Name+BirthDate", new MatchCondition(MatchField.BirthDate, MatchMethod.EditDistance, 75)),
                R("Name+Email", new MatchCondition(MatchField.Email, MatchMethod.JaroWinkler, 85)),
                R("Name+Street", new MatchCondition(MatchField.Street, MatchMethod.EditDistance, 80)),
                R("Name+PostalCode+City", new MatchCondition(MatchField.PostalCode, MatchMethod.Exact), new MatchCondition(MatchField.City, MatchMethod.JaroWinkler, 90)),
                new MatchRule("Email+LastName", new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact), Last(80) }),
                new MatchRule("Email+FirstName", new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact), First() }),
                new MatchRule("Email+BirthDate", new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact), new MatchCondition(MatchField.BirthDate, MatchMethod.EditDistance, 75) }),
                new MatchRule("FirstName+BirthDate+Email", new[] { First(), new MatchCondition(MatchField.BirthDate, MatchMethod.Exact), new MatchCondition(MatchField.Email, MatchMethod.JaroWinkler, 80) }),
                new MatchRule("LastName+BirthDate+City", new[] { Last(85), new MatchCondition(MatchField.BirthDate, MatchMethod.Exact), new MatchCondition(MatchField.City, MatchMethod.JaroWinkler, 90) }),
                new MatchRule("FirstName+BirthDate+City", new[] { First(), new MatchCondition(MatchField.BirthDate, MatchMethod.EditDistance, 75), new MatchCondition(MatchField.City, MatchMethod.JaroWinkler, 90) }),
                new MatchRule("LastName+BirthDate+Email", new[] { Last(80), new MatchCondition(MatchField.BirthDate, MatchMethod.EditDistance, 75), new MatchCondition(MatchField.Email, MatchMethod.JaroWinkler, 80) }),
                new MatchRule("LooseName+City", new[] { First(80), Last(80), new MatchCondition(MatchField.City, MatchMethod.Exact), new MatchCondition(MatchField.BirthDate, MatchMethod.EditDistance, 60) }),
                new MatchRule("LooseName+Email", new[] { First(80), Last(80), new MatchCondition(MatchField.Email, MatchMethod.JaroWinkler, 88) }, true),
                new MatchRule("BirthDate+LastName+Initial", new[] { new MatchCondition(MatchField.BirthDate, MatchMethod.Exact), Last(85), new MatchCondition(MatchField.FirstName, MatchMethod.Initials) }),
            }));
        }

        /// <summary>Normalised email only.</summary>
        public static MatchStrategy EmailExact() => new MatchStrategy("EmailExact", new[]
        {
            new MatchRule("Email", new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact) }),
        });
    }

    /// <summary>A record with its normalised values, by <see cref="MatchField"/>.</summary>
    public sealed class MatchKey
    {
        private readonly string[] _values;

        /// <summary>Creates a key.</summary>
        public MatchKey(CrmRecord record, string[] values)
        {
            Record = record;
            _values = values;
        }

        /// <summary>The record.</summary>
        public CrmRecord Record { get; }

        /// <summary>The normalised values by field number (the finder shares repeated values between records).</summary>
        internal string[] Values => _values;

        /// <summary>The same normalised values for another record object (a trimmed copy).</summary>
        public MatchKey WithRecord(CrmRecord record) => new MatchKey(record, _values);

        /// <summary>A normalised value ("" when blank).</summary>
        public string this[MatchField field] => _values[(int)field];
    }

    /// <summary>That two records match: the rule that fired and the score (0-100).</summary>
    public sealed class MatchResult
    {
        /// <summary>Creates a result.</summary>
        public MatchResult(string rule, double score)
        {
            Rule = rule;
            Score = score;
        }

        /// <summary>The rule's name.</summary>
        public string Rule { get; }
        /// <summary>The mean score of the rule's conditions (the probabilistic strategy: the match probability x 100).</summary>
        public double Score { get; }
        /// <summary>The probabilistic strategy's match weight (bits), else null.</summary>
        public double? MatchWeight { get; internal set; }
        /// <summary>The probabilistic strategy's weight per field, else null.</summary>
        public IReadOnlyList<FieldWeight>? Weights { get; internal set; }
    }

    /// <summary>One rule evaluated on a pair (for explanations).</summary>
    public sealed class RuleOutcome
    {
        /// <summary>Creates an outcome.</summary>
        public RuleOutcome(string rule, double? score, IReadOnlyList<ConditionOutcome> conditions)
        {
            Rule = rule;
            Score = score;
            Conditions = conditions;
        }

        /// <summary>The rule's name.</summary>
        public string Rule { get; }
        /// <summary>The rule's score (mean of its conditions) when it holds; null when a condition failed.</summary>
        public double? Score { get; }
        /// <summary>Whether every condition held.</summary>
        public bool Matched => Score.HasValue;
        /// <summary>When every condition held but a value the rule needs rare is common in the data: which, and how common.</summary>
        public string? TooCommon { get; internal set; }
        /// <summary>Each condition with its normalised values and score (the transposed evaluation when that one held).</summary>
        public IReadOnlyList<ConditionOutcome> Conditions { get; }
    }

    /// <summary>One condition evaluated on a pair (for explanations).</summary>
    public sealed class ConditionOutcome
    {
        /// <summary>Creates an outcome.</summary>
        public ConditionOutcome(MatchCondition condition, string valueA, string valueB, double score, bool passed, bool transposed)
        {
            Condition = condition;
            ValueA = valueA;
            ValueB = valueB;
            Score = score;
            Passed = passed;
            Transposed = transposed;
        }

        /// <summary>The condition.</summary>
        public MatchCondition Condition { get; }
        /// <summary>Normalised value of the first record.</summary>
        public string ValueA { get; }
        /// <summary>Normalised value of the second record (the swapped name field when transposed).</summary>
        public string ValueB { get; }
        /// <summary>The score.</summary>
        public double Score { get; }
        /// <summary>Whether it reached the threshold.</summary>
        public bool Passed { get; }
        /// <summary>Compared against the other record's other name field.</summary>
        public bool Transposed { get; }
    }
}

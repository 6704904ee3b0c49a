using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LeadTools.Core.Matching
{
    /// <summary>Settings of the probabilistic (Fellegi-Sunter) strategy.</summary>
    public sealed class ProbabilisticSettings
    {
        /// <summary>A pair matches when its match probability reaches this (0-1); default 0.99: a false merge is worse than a missed one.</summary>
        public double MatchProbability { get; set; } = 0.99;
        /// <summary>Seed of the random pairs that start the u probabilities (the same data gives the same model).</summary>
        public int Seed { get; set; } = 42;
        /// <summary>Candidate pairs sampled from the blocks for expectation maximisation.</summary>
        public int TrainingPairs { get; set; } = 200_000;
        /// <summary>Random record pairs that start the u probabilities.</summary>
        public int RandomPairs { get; set; } = 50_000;
        /// <summary>With fewer sampled candidate pairs than this, the default parameters are used (too little data to learn from).</summary>
        public int MinTrainingPairs { get; set; } = 200;
        /// <summary>Largest term-frequency adjustment, in bits, either way (a value shared by two records in a million is not 20 bits of evidence).</summary>
        public double MaxTermFrequencyAdjustment { get; set; } = 4;
        /// <summary>Assumed recall of the strict rule that sets the prior (same email, or same names with the same birth date or phone).</summary>
        public double PriorRecall { get; set; } = 0.6;
        /// <summary>EM also re-estimates u (within candidate pairs); false (the default, as Splink): u stays as estimated from random pairs.</summary>
        public bool EstimateU { get; set; }
        /// <summary>Records of one group whose evidence (the sum of field weights, before the prior) is below this must not be linked through others.</summary>
        public double CannotLinkWeight { get; set; }

        internal ProbabilisticSettings Clone() => (ProbabilisticSettings)MemberwiseClone();
    }

    /// <summary>The weight one field contributes to a pair's match weight (Fellegi-Sunter: log2 of m / u for its comparison level).</summary>
    public sealed class FieldWeight
    {
        internal FieldWeight(string field, string level, double weight, string valueA, string valueB, double termFrequencyAdjustment)
        {
            Field = field;
            Level = level;
            Weight = weight;
            ValueA = valueA;
            ValueB = valueB;
            TermFrequencyAdjustment = termFrequencyAdjustment;
        }

        /// <summary>The field (FirstName, Email, ...).</summary>
        public string Field { get; }
        /// <summary>The comparison level the pair reached ("exact", "Jaro-Winkler >= 0.92", "different", "blank": no evidence).</summary>
        public string Level { get; }
        /// <summary>The weight in bits (log2 of the Bayes factor), term-frequency adjustment included; 0 for a blank value.</summary>
        public double Weight { get; }
        /// <summary>Of <see cref="Weight"/>, the term-frequency adjustment (a common value weighs less than a rare one); 0 when none.</summary>
        public double TermFrequencyAdjustment { get; }
        /// <summary>The first record's normalised value.</summary>
        public string ValueA { get; }
        /// <summary>The second record's normalised value (its other name field when the names were compared transposed).</summary>
        public string ValueB { get; }

        /// <inheritdoc />
        public override string ToString() => Field + " " + Level + " " + ProbabilisticModel.Bits(Weight);
    }

    /// <summary>One field's comparison: its levels, strongest first, the last being "different".</summary>
    public sealed class FieldComparison
    {
        internal FieldComparison(string name, MatchField[] fields, string[] levels, Func<string[], string[], int> level, double[] defaultM, double[] defaultU)
            : this(fields[0], levels, (x, y) => 0, defaultM, defaultU)
        {
            Name = name;
            _multi = level;
            Fields = fields;
        }

        internal FieldComparison(MatchField field, string[] levels, Func<string, string, int> level, double[] defaultM, double[] defaultU)
        {
            Name = field.ToString();
            Fields = new[] { field };
            Field = field;
            Levels = levels;
            _level = level;
            DefaultM = defaultM;
            DefaultU = defaultU;
        }

        private readonly Func<string, string, int> _level;
        private readonly Func<string[], string[], int>? _multi;

        /// <summary>The comparison's name: its field, or for several fields compared together (Address) their name.</summary>
        public string Name { get; }
        /// <summary>The fields compared (one, or several compared together).</summary>
        public IReadOnlyList<MatchField> Fields { get; }
        internal bool IsMulti => _multi != null;

        /// <summary>The level of two normalised records (-1: no evidence).</summary>
        public int LevelOf(string[] a, string[] b) => _multi != null ? _multi(a, b) : Level(a[(int)Field], b[(int)Field]);

        internal string ValueOf(string[] v) => _multi == null ? v[(int)Field] : string.Join(", ", Fields.Select(f => v[(int)f]).Where(x => x.Length > 0));

        /// <summary>The field compared.</summary>
        public MatchField Field { get; }
        /// <summary>The level names, strongest first.</summary>
        public IReadOnlyList<string> Levels { get; }
        internal double[] DefaultM { get; }
        internal double[] DefaultU { get; }

        /// <summary>The level two normalised values reach, or -1 when either is blank (no evidence).</summary>
        public int Level(string a, string b) => a.Length == 0 || b.Length == 0 ? -1 : _level(a, b);
    }

    /// <summary>
    /// A Fellegi-Sunter model (Splink's design): per field, comparison levels with m (the chance of the level among
    /// true matches) and u (among non-matches) probabilities estimated by expectation maximisation from the data's own
    /// candidate pairs (no labels), term-frequency adjustments for exact agreement from the data's value frequencies, a
    /// prior (the share of candidate pairs that match), and a match weight (log2 of the Bayes factors, summed) and
    /// probability per pair. A blank value is no evidence (weight 0).
    /// </summary>
    public sealed class ProbabilisticModel
    {
        internal const string RuleName = "Probabilistic";

        /// <summary>The comparisons of the built-in model, one per field.</summary>
        public static IReadOnlyList<FieldComparison> DefaultComparisons { get; } = BuildComparisons();

        private static IReadOnlyList<FieldComparison> BuildComparisons()
        {
            int Name(string a, string b, bool first)
            {
                if (string.Equals(a, b, StringComparison.Ordinal)) return 0;
                var jw = Comparators.JaroWinkler(a, b);
                if (jw >= 92 || (first && Nicknames.AreVariants(a, b))) return 1;
                if (jw >= 80 || (first && Comparators.Initials(a, b) >= 100)) return 2;
                return 3;
            }
            int Email(string a, string b)
            {
                if (string.Equals(a, b, StringComparison.Ordinal)) return 0;
                var ia = a.IndexOf('@');
                var ib = b.IndexOf('@');
                if (ia > 0 && ib > 0 && ia == ib && string.CompareOrdinal(a, 0, b, 0, ia) == 0) return 1;
                if (Comparators.JaroWinkler(a, b) >= 90) return 2;
                if (ia >= 0 && ib >= 0 && a.Length - ia == b.Length - ib && string.CompareOrdinal(a, ia, b, ib, a.Length - ia) == 0) return 3;
                return 4;
            }
            int Phone(string a, string b)
            {
                if (string.Equals(a, b, StringComparison.Ordinal)) return 0;
                if (a.Length >= 7 && b.Length >= 7 && string.CompareOrdinal(a, a.Length - 7, b, b.Length - 7, 7) == 0) return 1;
                return 2;
            }
            int Date(string a, string b)
            {
                if (string.Equals(a, b, StringComparison.Ordinal)) return 0;
                if (a.Length == 8 && b.Length == 8)
                {
                    var same = (string.CompareOrdinal(a, 0, b, 0, 4) == 0 ? 1 : 0) + (string.CompareOrdinal(a, 4, b, 4, 2) == 0 ? 1 : 0) + (string.CompareOrdinal(a, 6, b, 6, 2) == 0 ? 1 : 0);
                    if (same == 2) return 1; // one component different
                    if (string.CompareOrdinal(a, 0, b, 0, 4) == 0 && string.CompareOrdinal(a, 4, b, 6, 2) == 0 && string.CompareOrdinal(a, 6, b, 4, 2) == 0) return 1; // day and month swapped
                }
                return Comparators.DamerauDistance(a, b) <= 1 ? 1 : 2;
            }
            // Street, postal code and city together: they describe one place (for a lead, usually the employer's
            // office), so compared as three fields they would count the same evidence three times.
            int Address(string[] a, string[] b)
            {
                string sa = a[(int)MatchField.Street], sb = b[(int)MatchField.Street], pa = a[(int)MatchField.PostalCode], pb = b[(int)MatchField.PostalCode], ca = a[(int)MatchField.City], cb = b[(int)MatchField.City];
                var streets = sa.Length > 0 && sb.Length > 0;
                var postals = pa.Length > 0 && pb.Length > 0;
                var cities = ca.Length > 0 && cb.Length > 0;
                if (!streets && !postals && !cities) return -1;
                var samePostal = postals && string.Equals(pa, pb, StringComparison.Ordinal);
                var sameCity = cities && (string.Equals(ca, cb, StringComparison.Ordinal) || Comparators.JaroWinkler(ca, cb) >= 90);
                var placeAgrees = (samePostal || !postals) && (sameCity || !cities);
                if (streets && string.Equals(sa, sb, StringComparison.Ordinal) && placeAgrees) return 0;
                if (streets && (samePostal || sameCity) && Comparators.EditSimilarity(sa, sb) >= 80) return 1;
                if (samePostal) return 2;
                if (sameCity) return 3;
                return 4;
            }
            int Company(string a, string b) => string.Equals(a, b, StringComparison.Ordinal) ? 0 : Comparators.Company(a, b) >= 90 ? 1 : 2;
            // Defaults (used when the data is too small to learn from, and where EM starts): generic m and u of person data.
            return new[]
            {
                new FieldComparison(MatchField.FirstName, new[] { "exact", "nickname or Jaro-Winkler >= 0.92", "initial or Jaro-Winkler >= 0.8", "different" }, (a, b) => Name(a, b, true),
                    new[] { 0.80, 0.12, 0.05, 0.03 }, new[] { 0.02, 0.01, 0.05, 0.92 }),
                new FieldComparison(MatchField.LastName, new[] { "exact", "Jaro-Winkler >= 0.92", "Jaro-Winkler >= 0.8", "different" }, (a, b) => Name(a, b, false),
                    new[] { 0.85, 0.08, 0.04, 0.03 }, new[] { 0.01, 0.005, 0.03, 0.955 }),
                new FieldComparison(MatchField.Email, new[] { "exact", "same mailbox, other domain", "Jaro-Winkler >= 0.9", "same domain, other mailbox", "different" }, Email,
                    new[] { 0.80, 0.05, 0.08, 0.03, 0.04 }, new[] { 0.0005, 0.001, 0.002, 0.02, 0.9765 }),
                new FieldComparison(MatchField.Phone, new[] { "exact", "same last 7 digits", "different" }, Phone,
                    new[] { 0.80, 0.05, 0.15 }, new[] { 0.001, 0.001, 0.998 }),
                new FieldComparison(MatchField.BirthDate, new[] { "exact", "one component different or day/month swapped", "different" }, Date,
                    new[] { 0.85, 0.10, 0.05 }, new[] { 0.002, 0.02, 0.978 }),
                new FieldComparison("Address", new[] { MatchField.Street, MatchField.PostalCode, MatchField.City },
                    new[] { "same street", "similar street, same postal code or city", "same postal code", "same city", "different" }, Address,
                    new[] { 0.70, 0.15, 0.06, 0.05, 0.04 }, new[] { 0.001, 0.001, 0.01, 0.03, 0.958 }),
                new FieldComparison(MatchField.Company, new[] { "exact", "fuzzy company >= 0.9", "different" }, Company,
                    new[] { 0.80, 0.10, 0.10 }, new[] { 0.01, 0.005, 0.985 }),
            };
        }

        private readonly FieldComparison[] _comparisons;
        private readonly double[][] _m;
        private readonly double[][] _u;
        private readonly double[][] _w;
        private readonly TermFrequencies? _tf;
        private readonly double _priorWeight;
        private readonly double[] _best;
        private readonly int _first = -1;
        private readonly int _last = -1;

        private ProbabilisticModel(ProbabilisticSettings settings, FieldComparison[] comparisons, double[][] m, double[][] u, double lambda, TermFrequencies? tf, bool learned, int trainingPairs, int iterations)
        {
            Settings = settings;
            _comparisons = comparisons;
            _m = m;
            _u = u;
            _tf = tf;
            Lambda = lambda;
            IsLearned = learned;
            TrainingPairs = trainingPairs;
            Iterations = iterations;
            _priorWeight = Math.Log(lambda / (1 - lambda), 2);
            _best = new double[comparisons.Length + 1];
            _w = new double[comparisons.Length][];
            for (var k = 0; k < comparisons.Length; k++)
            {
                _w[k] = new double[m[k].Length];
                for (var l = 0; l < m[k].Length; l++) _w[k][l] = Math.Log(m[k][l] / u[k][l], 2);
                if (comparisons[k].Field == MatchField.FirstName) _first = k;
                if (comparisons[k].Field == MatchField.LastName) _last = k;
            }
            // The most that comparison k and those after it (names excluded: they come first) can add.
            for (var k = comparisons.Length - 1; k >= 0; k--)
            {
                var top = k == _first || k == _last ? 0 : Math.Max(0, _w[k].Max() + (tf != null ? settings.MaxTermFrequencyAdjustment : 0));
                _best[k] = _best[k + 1] + top;
            }
        }

        /// <summary>The settings (threshold and training).</summary>
        public ProbabilisticSettings Settings { get; }
        /// <summary>The share of candidate pairs that match (the prior).</summary>
        public double Lambda { get; }
        /// <summary>The prior as a weight in bits: log2(lambda / (1 - lambda)).</summary>
        public double PriorWeight => _priorWeight;
        /// <summary>True when m, u and lambda were estimated from the data; false: the default parameters (too little data).</summary>
        public bool IsLearned { get; }
        /// <summary>Candidate pairs EM learned from.</summary>
        public int TrainingPairs { get; }
        /// <summary>EM iterations until convergence.</summary>
        public int Iterations { get; }
        /// <summary>The comparisons, one per field.</summary>
        public IReadOnlyList<FieldComparison> Comparisons => _comparisons;
        /// <summary>m probability of a comparison's level.</summary>
        public double M(int comparison, int level) => _m[comparison][level];
        /// <summary>u probability of a comparison's level.</summary>
        public double U(int comparison, int level) => _u[comparison][level];
        /// <summary>Weight (log2 m/u) of a comparison's level, before term-frequency adjustment.</summary>
        public double Weight(int comparison, int level) => _w[comparison][level];

        /// <summary>The model with the default parameters (no data to learn from).</summary>
        public static ProbabilisticModel Default(ProbabilisticSettings? settings = null)
        {
            var cs = DefaultComparisons.ToArray();
            return new ProbabilisticModel(settings ?? new ProbabilisticSettings(), cs, cs.Select(c => c.DefaultM.ToArray()).ToArray(), cs.Select(c => c.DefaultU.ToArray()).ToArray(), DefaultLambda, null, false, 0, 0);
        }

        internal const double DefaultLambda = 0.05;

        // ---------------------------------------------------------------------------------------------------------
        // Scoring

        /// <summary>The probability that a match weight means the same person: 1 / (1 + 2^-w).</summary>
        public static double Probability(double weight) => 1 / (1 + Math.Pow(2, -weight));

        /// <summary>The match weight of a pair: the prior plus every field's weight (bits).</summary>
        public double MatchWeight(string[] a, string[] b) => _priorWeight + Evidence(a, b, null);

        /// <summary>As <see cref="MatchWeight(string[], string[])"/> for two normalised records.</summary>
        public double MatchWeight(MatchKey a, MatchKey b) => MatchWeight(a.Values, b.Values);

        /// <summary>The pair's match, or null below the threshold.</summary>
        internal MatchResult? Match(string[] a, string[] b)
        {
            // Stops as soon as the fields left cannot lift the pair to the threshold (most candidate pairs of a name
            // block are decided by the names and the email); a pair that can reach it is scored in full.
            var needed = Math.Log(Settings.MatchProbability / (1 - Settings.MatchProbability), 2) - _priorWeight;
            var evidence = NameWeights(a, b, false, out _);
            for (var k = 0; k < _comparisons.Length; k++)
            {
                if (k == _first || k == _last) continue;
                if (evidence + _best[k] < needed) return null;
                evidence += FieldWeightOf(k, a, b, (int)_comparisons[k].Field, (int)_comparisons[k].Field, null, false);
            }
            var w = _priorWeight + evidence;
            var p = Probability(w);
            if (p < Settings.MatchProbability) return null;
            return new MatchResult(RuleName, p * 100) { MatchWeight = w, Weights = Explain(a, b) };
        }

        /// <summary>Group safety: records whose evidence is against being one person (or whose names clearly differ) are never joined through others.</summary>
        internal bool CannotLink(string[] a, string[] b) => MatchStrategy.NamesConflict(a, b) || Evidence(a, b, null) < Settings.CannotLinkWeight;

        /// <summary>Every field's weight on the pair (a blank value: level "blank", weight 0); their sum plus <see cref="PriorWeight"/> is the match weight.</summary>
        public IReadOnlyList<FieldWeight> Explain(string[] a, string[] b)
        {
            var list = new List<FieldWeight>(_comparisons.Length);
            Evidence(a, b, list);
            return list;
        }

        /// <summary>As <see cref="Explain(string[], string[])"/> for two normalised records.</summary>
        public IReadOnlyList<FieldWeight> Explain(MatchKey a, MatchKey b) => Explain(a.Values, b.Values);

        private double Evidence(string[] a, string[] b, List<FieldWeight>? trace)
        {
            double sum = 0;
            var names = NameWeights(a, b, trace != null, out var transposed);
            for (var k = 0; k < _comparisons.Length; k++)
            {
                if (k == _first || k == _last) continue;
                sum += FieldWeightOf(k, a, b, (int)_comparisons[k].Field, (int)_comparisons[k].Field, trace, false);
            }
            if (trace != null)
            {
                // Names first, in the comparisons' order.
                var named = new List<FieldWeight>();
                if (_first >= 0) FieldWeightOf(_first, a, b, (int)MatchField.FirstName, transposed ? (int)MatchField.LastName : (int)MatchField.FirstName, named, transposed);
                if (_last >= 0) FieldWeightOf(_last, a, b, (int)MatchField.LastName, transposed ? (int)MatchField.FirstName : (int)MatchField.LastName, named, transposed);
                trace.InsertRange(0, named);
            }
            return sum + names;
        }

        // First and last name, straight or transposed (a record with the names in the wrong fields): the better of the two.
        private double NameWeights(string[] a, string[] b, bool _, out bool transposed)
        {
            transposed = false;
            if (_first < 0 || _last < 0) return 0;
            int F = (int)MatchField.FirstName, L = (int)MatchField.LastName;
            var straight = FieldWeightOf(_first, a, b, F, F, null, false) + FieldWeightOf(_last, a, b, L, L, null, false);
            if (a[F].Length == 0 || a[L].Length == 0 || b[F].Length == 0 || b[L].Length == 0) return straight;
            if (string.Equals(a[F], b[F], StringComparison.Ordinal) && string.Equals(a[L], b[L], StringComparison.Ordinal)) return straight;
            var swapped = FieldWeightOf(_first, a, b, F, L, null, true) + FieldWeightOf(_last, a, b, L, F, null, true);
            if (swapped > straight) { transposed = true; return swapped; }
            return straight;
        }

        private double FieldWeightOf(int k, string[] a, string[] b, int fa, int fb, List<FieldWeight>? trace, bool transposed)
        {
            var c = _comparisons[k];
            var level = c.IsMulti ? c.LevelOf(a, b) : c.Level(a[fa], b[fb]);
            if (level < 0)
            {
                trace?.Add(new FieldWeight(c.Name, "blank", 0, c.IsMulti ? c.ValueOf(a) : a[fa], c.IsMulti ? c.ValueOf(b) : b[fb], 0));
                return 0;
            }
            var w = _w[k][level];
            double adj = 0;
            if (level == 0 && _tf != null && !transposed) adj = _tf.Adjustment(k, a[(int)c.Field], Settings.MaxTermFrequencyAdjustment);
            w += adj;
            trace?.Add(new FieldWeight(c.Name + (transposed ? " (transposed)" : string.Empty), c.Levels[level], w, c.IsMulti ? c.ValueOf(a) : a[fa], c.IsMulti ? c.ValueOf(b) : b[fb], adj));
            return w;
        }

        internal static string Bits(double w) => (w >= 0 ? "+" : string.Empty) + Math.Round(w, 2).ToString("0.00", CultureInfo.InvariantCulture);

        /// <summary>One line: the match weight and probability and each field's level and weight.</summary>
        public string Describe(IReadOnlyList<FieldWeight> weights, double matchWeight) =>
            "match weight " + Bits(matchWeight) + " (probability " + Probability(matchWeight).ToString("0.####", CultureInfo.InvariantCulture) + "): prior " + Bits(_priorWeight) + "; "
            + string.Join("; ", weights.Select(w => w.Field + " " + (w.Level == "blank" ? "blank (no evidence) 0" : w.Level + " " + Bits(w.Weight)
                + (w.TermFrequencyAdjustment != 0 ? " (term frequency " + Bits(w.TermFrequencyAdjustment) + ")" : string.Empty))));

        /// <summary>The model's parameters, one line per comparison level (for -Verbose and the docs).</summary>
        public string Summary()
        {
            var sb = new StringBuilder();
            sb.Append(IsLearned ? "learned from " + TrainingPairs.ToString("N0", CultureInfo.InvariantCulture) + " candidate pairs in " + Iterations + " EM iterations" : "default parameters (too few candidate pairs to learn from)");
            sb.Append("; prior (lambda) ").Append(Lambda.ToString("G3", CultureInfo.InvariantCulture)).Append(" = ").Append(Bits(_priorWeight)).Append(" bits").Append('.');
            for (var k = 0; k < _comparisons.Length; k++)
            {
                sb.Append(' ').Append(_comparisons[k].Name).Append(": ");
                sb.Append(string.Join(", ", Enumerable.Range(0, _m[k].Length).Select(l => _comparisons[k].Levels[l] + " m " + _m[k][l].ToString("0.####", CultureInfo.InvariantCulture) + " u " + _u[k][l].ToString("0.#####", CultureInfo.InvariantCulture) + " " + Bits(_w[k][l]))));
                sb.Append('.');
            }
            return sb.ToString();
        }

        // ---------------------------------------------------------------------------------------------------------
        // Learning

        /// <summary>
        /// Learns the model from normalised records: blocks as the duplicate finder makes them for the strategy, a seeded sample of
        /// their candidate pairs for EM, random pairs to start u, value frequencies for term-frequency adjustments.
        /// </summary>
        public static ProbabilisticModel Learn(MatchStrategy strategy, IReadOnlyList<MatchKey> records, ProbabilisticSettings? settings = null)
        {
            var finder = new DuplicateFinder(strategy);
            var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var order = new List<List<int>>();
            for (var i = 0; i < records.Count; i++)
            {
                foreach (var key in finder.BlockKeys(records[i]).Distinct())
                {
                    if (!blocks.TryGetValue(key, out var list)) { blocks[key] = list = new List<int>(); order.Add(list); }
                    list.Add(i);
                }
            }
            var segments = order.Where(l => l.Count > 1).Select(l => new ArraySegment<int>(l.ToArray())).ToList();
            return Learn(settings ?? strategy.Probabilistic ?? new ProbabilisticSettings(), records.Count, i => records[i].Values, segments, finder.MaxBlockSize);
        }

        internal static ProbabilisticModel Learn(ProbabilisticSettings settings, int count, Func<int, string[]> values, IReadOnlyList<ArraySegment<int>> blocks, int maxBlockSize)
        {
            var cs = DefaultComparisons.ToArray();
            var tf = TermFrequencies.Count(cs, count, values);

            // Candidate pairs: every pair of every block (as compared), a seeded hash choosing a share of them.
            double total = 0;
            foreach (var b in blocks) { var n = Math.Min(b.Count, maxBlockSize); total += n * (double)(n - 1) / 2; }
            var rate = total <= settings.TrainingPairs ? 1.0 : settings.TrainingPairs / total;
            var threshold = rate >= 1 ? ulong.MaxValue : (ulong)(rate * ulong.MaxValue);
            var seen = new HashSet<long>();
            var patterns = new Dictionary<long, long>();
            var sampled = 0;
            foreach (var b in blocks)
            {
                var n = Math.Min(b.Count, maxBlockSize);
                var ids = b.Array!;
                for (var i = 0; i < n; i++)
                {
                    var x = ids[b.Offset + i];
                    for (var j = i + 1; j < n; j++)
                    {
                        var y = ids[b.Offset + j];
                        if (x == y) continue;
                        var lo = Math.Min(x, y);
                        var hi = Math.Max(x, y);
                        var key = ((long)lo << 32) | (uint)hi;
                        if (threshold != ulong.MaxValue && Mix((ulong)key ^ (ulong)settings.Seed) > threshold) continue;
                        if (!seen.Add(key)) continue;
                        var p = Pattern(cs, values(lo), values(hi));
                        patterns[p] = patterns.TryGetValue(p, out var c) ? c + 1 : 1;
                        sampled++;
                    }
                }
            }
            if (sampled < settings.MinTrainingPairs)
            {
                return new ProbabilisticModel(settings, cs, cs.Select(c => c.DefaultM.ToArray()).ToArray(), cs.Select(c => c.DefaultU.ToArray()).ToArray(), DefaultLambda, tf, false, sampled, 0);
            }

            // u starts from random pairs (nearly all non-matches), m from the defaults.
            var u0 = cs.Select(c => c.DefaultU.ToArray()).ToArray();
            if (count >= 50)
            {
                var counts = cs.Select(c => new double[c.Levels.Count]).ToArray();
                var random = new Random(settings.Seed);
                for (var s = 0; s < settings.RandomPairs; s++)
                {
                    var x = random.Next(count);
                    var y = random.Next(count);
                    if (x == y) continue;
                    string[] va = values(x), vb = values(y);
                    for (var k = 0; k < cs.Length; k++)
                    {
                        var l = cs[k].LevelOf(va, vb);
                        if (l >= 0) counts[k][l]++;
                    }
                }
                for (var k = 0; k < cs.Length; k++)
                {
                    var n = counts[k].Sum();
                    if (n < 100) continue;
                    for (var l = 0; l < counts[k].Length; l++) u0[k][l] = (counts[k][l] + 0.5) / (n + 0.5 * counts[k].Length);
                }
            }
            var list = patterns.OrderBy(kv => kv.Key).Select(kv => (Levels: Unpack(cs.Length, kv.Key), Count: (double)kv.Value)).ToList();
            var levelCounts = cs.Select(c => c.Levels.Count).ToArray();
            if (settings.EstimateU)
            {
                var (m1, u1, l1, it1) = Em(cs.Length, levelCounts, list, cs.Select(c => c.DefaultM.ToArray()).ToArray(), u0, DefaultLambda, true);
                return new ProbabilisticModel(settings, cs, m1, u1, l1, tf, true, sampled, it1);
            }

            // Splink's training: u from random pairs, fixed; m by EM in sessions, each on the candidate pairs that agree
            // exactly on one field (email; first and last name; birth date), that field left out (its m is biased there);
            // a field's m is the mean of the sessions that estimated it. Not phone: an office's switchboard is shared by
            // its people, and EM would learn "the same office" as the match class.
            int Index(MatchField f) => Array.FindIndex(cs, c => c.Field == f);
            var sessions = new[] { new[] { Index(MatchField.Email) }, new[] { Index(MatchField.FirstName), Index(MatchField.LastName) }, new[] { Index(MatchField.BirthDate) } };
            var mSum = cs.Select(c => new double[c.Levels.Count]).ToArray();
            var mRuns = new int[cs.Length];
            var iterations = 0;
            foreach (var fixedFields in sessions)
            {
                var subset = new List<(int[] Levels, double Count)>();
                foreach (var (levels, n) in list)
                {
                    if (!fixedFields.All(k => levels[k] == 0)) continue;
                    var masked = (int[])levels.Clone();
                    foreach (var k in fixedFields) masked[k] = -1;
                    subset.Add((masked, n));
                }
                if (subset.Sum(x => x.Count) < 50) continue;
                var (ms, _, _, it) = Em(cs.Length, levelCounts, subset, cs.Select(c => c.DefaultM.ToArray()).ToArray(), u0, 0.5, false);
                iterations += it;
                for (var k = 0; k < cs.Length; k++)
                {
                    if (fixedFields.Contains(k) || !subset.Any(x => x.Levels[k] >= 0)) continue;
                    for (var l = 0; l < ms[k].Length; l++) mSum[k][l] += ms[k][l];
                    mRuns[k]++;
                }
            }
            var m = new double[cs.Length][];
            for (var k = 0; k < cs.Length; k++) m[k] = mRuns[k] == 0 ? cs[k].DefaultM.ToArray() : mSum[k].Select(x => x / mRuns[k]).ToArray();

            // The prior over all pairs (as Splink): pairs a strict rule calls the same person (the same email, or the same
            // first and last name with the same birth date or phone), over the rule's assumed recall.
            double sure = 0;
            int ie = Index(MatchField.Email), i1 = Index(MatchField.FirstName), i2 = Index(MatchField.LastName), ip = Index(MatchField.Phone), id = Index(MatchField.BirthDate);
            foreach (var (levels, n) in list)
            {
                if (levels[ie] == 0 || (levels[i1] == 0 && levels[i2] == 0 && (levels[id] == 0 || levels[ip] == 0))) sure += n;
            }
            var allPairs = count * (double)(count - 1) / 2;
            var matches = sure / Math.Max(rate, 1e-12) / settings.PriorRecall;
            var lambda = Math.Min(0.5, Math.Max(1.0 / allPairs, matches / allPairs));
            return new ProbabilisticModel(settings, cs, m, u0, lambda, tf, true, sampled, iterations);
        }

        /// <summary>
        /// Expectation maximisation of m, u and lambda on comparison patterns (level per comparison, -1 blank) with their
        /// counts; returns the parameters and the iterations run (at most 200, until no parameter moves by 1e-7).
        /// </summary>
        public static (double[][] M, double[][] U, double Lambda, int Iterations) Em(int comparisons, int[] levels, IReadOnlyList<(int[] Levels, double Count)> patterns, double[][] m0, double[][] u0, double lambda0, bool estimateU = true)
        {
            var m = m0.Select(a => a.ToArray()).ToArray();
            var u = u0.Select(a => a.ToArray()).ToArray();
            var lambda = lambda0;
            var iterations = 0;
            const double Floor = 1e-6;
            for (; iterations < 200; iterations++)
            {
                var mSum = levels.Select(n => new double[n]).ToArray();
                var uSum = levels.Select(n => new double[n]).ToArray();
                double pSum = 0, all = 0;
                var lm0 = Math.Log(lambda);
                var lu0 = Math.Log(1 - lambda);
                foreach (var (pattern, count) in patterns)
                {
                    double lm = lm0, lu = lu0;
                    for (var k = 0; k < comparisons; k++)
                    {
                        var l = pattern[k];
                        if (l < 0) continue;
                        lm += Math.Log(m[k][l]);
                        lu += Math.Log(u[k][l]);
                    }
                    var p = 1 / (1 + Math.Exp(lu - lm));
                    pSum += p * count;
                    all += count;
                    for (var k = 0; k < comparisons; k++)
                    {
                        var l = pattern[k];
                        if (l < 0) continue;
                        mSum[k][l] += p * count;
                        uSum[k][l] += (1 - p) * count;
                    }
                }
                double change = 0;
                for (var k = 0; k < comparisons; k++)
                {
                    double ms = mSum[k].Sum(), us = uSum[k].Sum();
                    for (var l = 0; l < levels[k]; l++)
                    {
                        var nm = ms > 0 ? Math.Max(Floor, mSum[k][l] / ms) : m[k][l];
                        var nu = estimateU && us > 0 ? Math.Max(Floor, uSum[k][l] / us) : u[k][l];
                        change = Math.Max(change, Math.Max(Math.Abs(nm - m[k][l]), Math.Abs(nu - u[k][l])));
                        m[k][l] = nm;
                        u[k][l] = nu;
                    }
                }
                var nl = Math.Min(1 - Floor, Math.Max(Floor, pSum / all));
                change = Math.Max(change, Math.Abs(nl - lambda));
                lambda = nl;
                if (change < 1e-7) { iterations++; break; }
            }
            return (m, u, lambda, iterations);
        }

        private static long Pattern(FieldComparison[] cs, string[] a, string[] b)
        {
            long p = 0;
            for (var k = 0; k < cs.Length; k++)
            {
                var l = cs[k].LevelOf(a, b);
                p |= (long)(l + 1) << (k * 4);
            }
            return p;
        }

        private static int[] Unpack(int n, long p)
        {
            var levels = new int[n];
            for (var k = 0; k < n; k++) levels[k] = (int)((p >> (k * 4)) & 0xF) - 1;
            return levels;
        }

        // SplitMix64 finaliser: a pair's sampling hash.
        private static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>
        /// Value frequencies per field, for term-frequency adjustments: the 64-bit hashes of the values two or more
        /// records share, sorted, with their counts (a value held once is counted 1 without being stored).
        /// </summary>
        private sealed class TermFrequencies
        {
            private long[][] _hashes = null!;
            private int[][] _counts = null!;
            private double[] _sumSquares = null!; // sum of tf(v)^2: the chance that two random records agree
            private double[] _filled = null!;

            internal static TermFrequencies Count(FieldComparison[] cs, int count, Func<int, string[]> values)
            {
                var tf = new TermFrequencies { _hashes = new long[cs.Length][], _counts = new int[cs.Length][], _sumSquares = new double[cs.Length], _filled = new double[cs.Length] };
                var buffer = new long[count];
                for (var k = 0; k < cs.Length; k++)
                {
                    var f = (int)cs[k].Field;
                    var n = 0;
                    for (var i = 0; i < count; i++)
                    {
                        var v = values(i)[f];
                        if (v.Length > 0) buffer[n++] = Hash(v);
                    }
                    Array.Sort(buffer, 0, n);
                    var hs = new List<long>();
                    var ns = new List<int>();
                    double squares = 0;
                    for (var i = 0; i < n;)
                    {
                        var j = i + 1;
                        while (j < n && buffer[j] == buffer[i]) j++;
                        var c = j - i;
                        squares += (double)c * c;
                        if (c > 1) { hs.Add(buffer[i]); ns.Add(c); }
                        i = j;
                    }
                    tf._hashes[k] = hs.ToArray();
                    tf._counts[k] = ns.ToArray();
                    tf._filled[k] = n;
                    tf._sumSquares[k] = n == 0 ? 0 : squares / ((double)n * n);
                }
                return tf;
            }

            /// <summary>log2(sum tf^2 / tf(v)), within the limit: above 0 for a value rarer than the field's typical agreement, below for a common one.</summary>
            internal double Adjustment(int k, string value, double limit)
            {
                var n = _filled[k];
                if (n < 2 || _sumSquares[k] <= 0) return 0;
                var i = Array.BinarySearch(_hashes[k], Hash(value));
                var c = i >= 0 ? _counts[k][i] : 1;
                var adj = Math.Log(_sumSquares[k] / (Math.Max(2, c) / n), 2);
                return Math.Max(-limit, Math.Min(limit, adj));
            }

            private static long Hash(string s)
            {
                var h = 14695981039346656037UL;
                foreach (var ch in s) h = (h ^ ch) * 1099511628211UL;
                return unchecked((long)h);
            }
        }
    }

    public sealed partial class MatchStrategy
    {
        /// <summary>The probabilistic strategy's settings, or null for a rule strategy.</summary>
        public ProbabilisticSettings? Probabilistic { get; private set; }

        // The default-parameter model, for a pair compared without data to learn from (Add-CrmLead, a lone pair).
        private ProbabilisticModel? _defaultModel;

        internal ProbabilisticModel? DefaultModel => Probabilistic == null ? null : _defaultModel ??= ProbabilisticModel.Default(Probabilistic);

        /// <summary>
        /// The learned strategy (issue 16): Fellegi-Sunter weights per field and comparison level, m and u estimated
        /// by EM on the data being matched, term-frequency adjustments, a pair matching when its probability reaches
        /// <paramref name="matchProbability"/>. Its rules only plan the blocks (which pairs are compared): the same
        /// email, phone (last 7 digits) or birth date, or a name key with the street, postal code, city or company.
        /// </summary>
        public static MatchStrategy ProbabilisticStrategy(double matchProbability = 0.99)
        {
            if (!(matchProbability > 0 && matchProbability < 1)) throw new ArgumentOutOfRangeException(nameof(matchProbability), "The match probability is between 0 and 1 (exclusive).");
            MatchCondition First() => new MatchCondition(MatchField.FirstName, MatchMethod.FuzzyFirstName, 80);
            MatchCondition Last() => new MatchCondition(MatchField.LastName, MatchMethod.JaroWinkler, 80);
            MatchRule R(string n, MatchCondition c) => new MatchRule(n, new[] { First(), Last(), c }, true);
            var strategy = new MatchStrategy("Probabilistic", new[]
            {
                new MatchRule("Email", new[] { new MatchCondition(MatchField.Email, MatchMethod.Exact) }),
                new MatchRule("Phone", new[] { new MatchCondition(MatchField.Phone, MatchMethod.Exact) }),
                new MatchRule("BirthDate", new[] { new MatchCondition(MatchField.BirthDate, MatchMethod.Exact) }),
                R("Name+Street", new MatchCondition(MatchField.Street, MatchMethod.EditDistance, 80)),
                R("Name+PostalCode", new MatchCondition(MatchField.PostalCode, MatchMethod.Exact)),
                // Name with city only where a birth date is known too (keyed by its year): a plain name+city block is
                // thousands of pairs per city at a million leads (3.5x the comparisons of SafeMerge).
                new MatchRule("Name+City+BirthYear", new[] { First(), Last(), new MatchCondition(MatchField.City, MatchMethod.Exact), new MatchCondition(MatchField.BirthDate, MatchMethod.EditDistance, 50) }, true),
                // No name+company block: at a million leads "smit|j" at one company is a large block, and a copy at the same
                // company shares its email, phone or address with the original (the other blocks).
                new MatchRule("Company", new[] { new MatchCondition(MatchField.Company, MatchMethod.Exact), new MatchCondition(MatchField.Email, MatchMethod.Exact) }),
            }, gmailRules: true);
            strategy.Probabilistic = new ProbabilisticSettings { MatchProbability = matchProbability };
            return strategy;
        }
    }
}

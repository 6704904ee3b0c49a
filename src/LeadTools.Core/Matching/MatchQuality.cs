using System;
using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Records;

namespace LeadTools.Core.Matching
{
    /// <summary>Pairwise precision, recall and F1 of a strategy's clusters against labelled clusters.</summary>
    public sealed class MatchQualityReport
    {
        /// <summary>Creates a report.</summary>
        public MatchQualityReport(string strategy, long records, long truePairs, long predictedPairs, long correctPairs, IReadOnlyList<int>? groupSizes = null)
        {
            GroupSizes = groupSizes ?? Array.Empty<int>();
            Strategy = strategy;
            Records = records;
            TruePairs = truePairs;
            PredictedPairs = predictedPairs;
            CorrectPairs = correctPairs;
        }

        /// <summary>The strategy scored.</summary>
        public string Strategy { get; }
        /// <summary>Records read.</summary>
        public long Records { get; }
        /// <summary>Pairs in the same labelled cluster.</summary>
        public long TruePairs { get; }
        /// <summary>Pairs in the same predicted cluster (transitively).</summary>
        public long PredictedPairs { get; }
        /// <summary>Pairs in both.</summary>
        public long CorrectPairs { get; }
        /// <summary>Correct / predicted.</summary>
        public double Precision => PredictedPairs == 0 ? 0 : (double)CorrectPairs / PredictedPairs;
        /// <summary>Correct / true.</summary>
        public double Recall => TruePairs == 0 ? 0 : (double)CorrectPairs / TruePairs;
        /// <summary>Of the pairs that joined the predicted groups, how many join two different true clusters, by rule.</summary>
        public IReadOnlyDictionary<string, int> WrongPairsByRule { get; internal set; } = new Dictionary<string, int>();

        /// <summary>The size of every predicted group of two or more records.</summary>
        public IReadOnlyList<int> GroupSizes { get; }
        /// <summary>The largest predicted group (0 when none).</summary>
        public int MaxGroupSize
        {
            get
            {
                var max = 0;
                foreach (var n in GroupSizes) max = Math.Max(max, n);
                return max;
            }
        }

        /// <summary>How many predicted groups have 2, 3, 4-5, 6-10, 11-50 and more than 50 members ("2: 812, 3: 40, ...").</summary>
        public string GroupSizeDistribution
        {
            get
            {
                var bins = new[] { (2, 2), (3, 3), (4, 5), (6, 10), (11, 50), (51, int.MaxValue) };
                var counts = new long[bins.Length];
                foreach (var n in GroupSizes)
                {
                    for (var i = 0; i < bins.Length; i++) if (n >= bins[i].Item1 && n <= bins[i].Item2) { counts[i]++; break; }
                }
                var parts = new List<string>();
                for (var i = 0; i < bins.Length; i++)
                {
                    var label = bins[i].Item1 == bins[i].Item2 ? bins[i].Item1.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : bins[i].Item2 == int.MaxValue ? ">" + (bins[i].Item1 - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
                        : bins[i].Item1.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + bins[i].Item2.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    parts.Add(label + ": " + counts[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                return string.Join(", ", parts);
            }
        }

        /// <summary>Harmonic mean of precision and recall.</summary>
        public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

        /// <inheritdoc />
        public override string ToString() => FormattableString.Invariant($"{Strategy}: records {Records}, true pairs {TruePairs}, predicted {PredictedPairs}, correct {CorrectPairs}, P {Precision:F3} R {Recall:F3} F1 {F1:F3}, largest group {MaxGroupSize}");
    }

    /// <summary>Scores a strategy against labelled data (records whose label field names their true cluster).</summary>
    public static class MatchQuality
    {
        /// <summary>Clusters <paramref name="records"/> with the strategy and compares with the clusters in <paramref name="labelField"/>.</summary>
        public static MatchQualityReport Score(MatchStrategy strategy, IReadOnlyList<CrmRecord> records, string labelField, int maxBlockSize = 500)
        {
            var finder = new DuplicateFinder(strategy) { MaxBlockSize = maxBlockSize };
            var groups = finder.Find(records);
            var wrongByRule = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var g in groups)
            {
                var labelOf = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < g.Members.Count; i++) labelOf[g.Members[i].Id ?? "#" + (g.MemberIndexes[i] + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)] = g.Members[i].GetString(labelField) ?? string.Empty;
                foreach (var p in g.Pairs)
                {
                    if (labelOf.TryGetValue(p.A, out var la) && labelOf.TryGetValue(p.B, out var lb) && la != lb)
                        wrongByRule[p.Rule] = wrongByRule.TryGetValue(p.Rule, out var w) ? w + 1 : 1;
                }
            }
            var predicted = new Dictionary<CrmRecord, int>(ReferenceEqualityComparer.Instance);
            foreach (var g in groups) foreach (var m in g.Members) predicted[m] = g.GroupId;

            long Pairs(long n) => n * (n - 1) / 2;
            var trueSizes = new Dictionary<string, long>(StringComparer.Ordinal);
            var predSizes = new Dictionary<int, long>();
            var cells = new Dictionary<(int, string), long>();
            var single = -1;
            foreach (var r in records)
            {
                var label = r.GetString(labelField) ?? string.Empty;
                trueSizes[label] = trueSizes.TryGetValue(label, out var t) ? t + 1 : 1;
                var p = predicted.TryGetValue(r, out var gid) ? gid : single--;
                predSizes[p] = predSizes.TryGetValue(p, out var q) ? q + 1 : 1;
                cells[(p, label)] = cells.TryGetValue((p, label), out var c) ? c + 1 : 1;
            }
            long truePairs = 0, predPairs = 0, correct = 0;
            foreach (var v in trueSizes.Values) truePairs += Pairs(v);
            foreach (var v in predSizes.Values) predPairs += Pairs(v);
            foreach (var v in cells.Values) correct += Pairs(v);
            return new MatchQualityReport(strategy.Name, records.Count, truePairs, predPairs, correct, groups.Select(g => g.Count).ToList()) { WrongPairsByRule = wrongByRule };
        }

        private sealed class ReferenceEqualityComparer : IEqualityComparer<CrmRecord>
        {
            public static readonly ReferenceEqualityComparer Instance = new ReferenceEqualityComparer();
            public bool Equals(CrmRecord? x, CrmRecord? y) => ReferenceEquals(x, y);
            public int GetHashCode(CrmRecord obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}

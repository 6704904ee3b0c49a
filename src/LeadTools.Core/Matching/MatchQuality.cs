using System;
using System.Collections.Generic;
using LeadTools.Core.Records;

namespace LeadTools.Core.Matching
{
    /// <summary>Pairwise precision, recall and F1 of a strategy's clusters against labelled clusters.</summary>
    public sealed class MatchQualityReport
    {
        /// <summary>Creates a report.</summary>
        public MatchQualityReport(string strategy, long records, long truePairs, long predictedPairs, long correctPairs)
        {
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
        /// <summary>Harmonic mean of precision and recall.</summary>
        public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

        /// <inheritdoc />
        public override string ToString() => FormattableString.Invariant($"{Strategy}: records {Records}, true pairs {TruePairs}, predicted {PredictedPairs}, correct {CorrectPairs}, P {Precision:F3} R {Recall:F3} F1 {F1:F3}");
    }

    /// <summary>Scores a strategy against labelled data (records whose label field names their true cluster).</summary>
    public static class MatchQuality
    {
        /// <summary>Clusters <paramref name="records"/> with the strategy and compares with the clusters in <paramref name="labelField"/>.</summary>
        public static MatchQualityReport Score(MatchStrategy strategy, IReadOnlyList<CrmRecord> records, string labelField, int maxBlockSize = 500)
        {
            var finder = new DuplicateFinder(strategy) { MaxBlockSize = maxBlockSize };
            var groups = finder.Find(records);
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
            return new MatchQualityReport(strategy.Name, records.Count, truePairs, predPairs, correct);
        }

        private sealed class ReferenceEqualityComparer : IEqualityComparer<CrmRecord>
        {
            public static readonly ReferenceEqualityComparer Instance = new ReferenceEqualityComparer();
            public bool Equals(CrmRecord? x, CrmRecord? y) => ReferenceEquals(x, y);
            public int GetHashCode(CrmRecord obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}

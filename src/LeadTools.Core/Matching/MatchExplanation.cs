using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LeadTools.Core.Matching
{
    /// <summary>
    /// Why two records do or do not match under a strategy: every rule with every condition (normalised values,
    /// score, threshold) and a sentence an admin can paste into a ticket.
    /// </summary>
    public sealed class MatchExplanation
    {
        /// <summary>Evaluates every rule of <paramref name="strategy"/> on the pair.</summary>
        public MatchExplanation(MatchStrategy strategy, MatchKey a, MatchKey b) : this(strategy, a, b, null)
        {
        }

        /// <summary>
        /// As <see cref="MatchExplanation(MatchStrategy, MatchKey, MatchKey)"/> with the value frequencies of the data the
        /// pair comes from (rare-value and chance limits, the common-names veto); without them every value counts as rare.
        /// </summary>
        public MatchExplanation(MatchStrategy strategy, MatchKey a, MatchKey b, ValueFrequencies? frequencies)
        {
            if (strategy.Probabilistic != null)
            {
                // The probabilistic strategy: its default parameters (no data to learn from); see the model overload.
                _strategy = strategy;
                Strategy = strategy.Name;
                Rules = Array.Empty<RuleOutcome>();
                Values = Array.Empty<KeyValuePair<MatchField, (string A, string B)>>();
                Reason = string.Empty;
                (Rule, Score, Reason, Weights, MatchWeight, Values) = Probabilistic(strategy, strategy.DefaultModel!, a, b);
                return;
            }
            Strategy = strategy.Name;
            _strategy = strategy;
            Rules = strategy.Explain(a, b, frequencies);
            var best = Rules.Where(r => r.Matched).OrderByDescending(r => r.Score!.Value).FirstOrDefault();
            var veto = best == null ? null : strategy.VetoOf(a, b, frequencies);
            if (veto != null)
            {
                Veto = veto.Name;
                VetoConditions = veto.Trace(a, b, frequencies);
                VetoedRule = best!.Rule;
                best = null;
            }
            Rule = best?.Rule;
            Score = best?.Score;
            var values = new List<KeyValuePair<MatchField, (string A, string B)>>();
            foreach (var field in strategy.UsedFields) values.Add(new KeyValuePair<MatchField, (string, string)>(field, (a[field], b[field])));
            Values = values;
            Reason = Explain(best);
        }

        /// <summary>
        /// The probabilistic strategy's explanation with a model learned from data (<see cref="ProbabilisticModel.Learn(MatchStrategy, IReadOnlyList{MatchKey}, ProbabilisticSettings)"/>
        /// or <see cref="DuplicateFinder.Model"/>): every field's comparison level and weight, the match weight and probability.
        /// </summary>
        public MatchExplanation(MatchStrategy strategy, ProbabilisticModel model, MatchKey a, MatchKey b)
        {
            _strategy = strategy;
            Strategy = strategy.Name;
            Rules = Array.Empty<RuleOutcome>();
            (Rule, Score, Reason, Weights, MatchWeight, Values) = Probabilistic(strategy, model, a, b);
        }

        private static (string?, double?, string, IReadOnlyList<FieldWeight>, double, IReadOnlyList<KeyValuePair<MatchField, (string A, string B)>>) Probabilistic(MatchStrategy strategy, ProbabilisticModel model, MatchKey a, MatchKey b)
        {
            var weights = model.Explain(a, b);
            var w = model.PriorWeight + weights.Sum(x => x.Weight);
            var p = ProbabilisticModel.Probability(w);
            var match = p >= model.Settings.MatchProbability;
            var values = strategy.UsedFields.Select(f => new KeyValuePair<MatchField, (string, string)>(f, (a[f], b[f]))).ToList();
            var reason = (match ? "Match" : "No match") + " (probability " + p.ToString("0.######", CultureInfo.InvariantCulture) + (match ? " >= " : " < ")
                + model.Settings.MatchProbability.ToString("0.####", CultureInfo.InvariantCulture) + "; " + (model.IsLearned ? "parameters learned from the data" : "default parameters") + "): "
                + model.Describe(weights, w) + ".";
            return (match ? ProbabilisticModel.RuleName : null, match ? p * 100 : (double?)null, reason, weights, w, values);
        }

        /// <summary>The probabilistic strategy's weight per field (empty for a rule strategy); with <see cref="MatchWeight"/>.</summary>
        public IReadOnlyList<FieldWeight> Weights { get; } = Array.Empty<FieldWeight>();
        /// <summary>The probabilistic strategy's match weight in bits (the prior plus every field's weight), else null.</summary>
        public double? MatchWeight { get; }
        /// <summary>The probabilistic strategy's match probability (0-1), else null.</summary>
        public double? MatchProbability => MatchWeight.HasValue ? ProbabilisticModel.Probability(MatchWeight.Value) : (double?)null;

        private readonly MatchStrategy _strategy;

        /// <summary>The name of a field in <see cref="Values"/> (a built-in field or one of the strategy's custom fields).</summary>
        public string FieldName(MatchField field) => _strategy.FieldName(field);

        /// <summary>The strategy's name.</summary>
        public string Strategy { get; }
        /// <summary>Every rule, in the strategy's order.</summary>
        public IReadOnlyList<RuleOutcome> Rules { get; }
        /// <summary>The best rule that held, or null.</summary>
        public string? Rule { get; }
        /// <summary>Its score (0-100), or null.</summary>
        public double? Score { get; }
        /// <summary>True when a rule held.</summary>
        public bool IsMatch => Rule != null;
        /// <summary>The normalised values of the fields the strategy reads (first record, second record).</summary>
        public IReadOnlyList<KeyValuePair<MatchField, (string A, string B)>> Values { get; }
        /// <summary>The decision in words.</summary>
        public string Reason { get; }
        /// <summary>The veto that rejected a pair a rule matched (contradicting evidence), or null.</summary>
        public string? Veto { get; }
        /// <summary>The rule the veto overruled, or null.</summary>
        public string? VetoedRule { get; }
        /// <summary>The veto's conditions on the pair (Passed: the condition disagreed or, for agreements, held).</summary>
        public IReadOnlyList<ConditionOutcome> VetoConditions { get; } = Array.Empty<ConditionOutcome>();

        private string Explain(RuleOutcome? best)
        {
            var sb = new StringBuilder();
            if (best != null)
            {
                sb.Append("Match by rule ").Append(best.Rule).Append(" (score ").Append(Format(best.Score!.Value)).Append("): ");
                sb.Append(string.Join("; ", best.Conditions.Select(Describe))).Append('.');
                var others = Rules.Where(r => r.Matched && !ReferenceEquals(r, best)).Select(r => r.Rule).ToList();
                if (others.Count > 0) sb.Append(" Also held: ").Append(string.Join(", ", others)).Append('.');
                return sb.ToString();
            }
            if (Veto != null)
            {
                return "No match: rule " + VetoedRule + " held, but the veto " + Veto + " rejects the pair (contradicting evidence): "
                    + string.Join("; ", VetoConditions.Select(Describe)) + ".";
            }
            if (Rules.Count == 0) return "No match: the strategy " + Strategy + " has no rules.";
            sb.Append("No match: no rule of ").Append(Strategy).Append(" held. ");
            sb.Append(string.Join(" ", Rules.Select(r =>
            {
                var failed = r.Conditions.Where(c => !c.Passed).ToList();
                if (failed.Count == 0 && r.TooCommon != null) return r.Rule + " held but " + r.TooCommon + ".";
                return r.Rule + " failed on " + string.Join(" and ", failed.Select(Describe)) + ".";
            })));
            return sb.ToString();
        }

        private static string Describe(ConditionOutcome c)
        {
            var field = c.Transposed ? c.Condition.FieldName + " (transposed)" : c.Condition.FieldName;
            if (c.ValueA.Length == 0 || c.ValueB.Length == 0)
            {
                return field + " blank ('" + c.ValueA + "' vs '" + c.ValueB + "')" + (c.Passed ? " allowed" : " never matches");
            }
            return field + " '" + c.ValueA + "' vs '" + c.ValueB + "' " + c.Condition.Method
                + (c.Condition.Characters > 0 ? "(" + c.Condition.Characters.ToString(CultureInfo.InvariantCulture) + ")" : string.Empty)
                + " " + Format(c.Score) + (c.Score >= c.Condition.Threshold ? " >= " : " < ") + Format(c.Condition.Threshold);
        }

        private static string Format(double d) => Math.Round(d, 1).ToString("0.#", CultureInfo.InvariantCulture);
    }
}

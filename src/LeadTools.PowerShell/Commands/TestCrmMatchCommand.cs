using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Matching;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Explains why two records do or do not match under a matching strategy: every rule, every condition, the normalised values and the scores.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CrmMatch")]
    [OutputType(typeof(CrmMatchExplanation))]
    public sealed partial class TestCrmMatchCommand : MatchCommandBase
    {
        /// <summary>Creates the cmdlet: its default strategy is SafeMerge, the one safest to merge on.</summary>
        public TestCrmMatchCommand() => Strategy = SafeDefaultStrategy;

        private MatchKey? _reference;
        private long _seen;

        /// <summary>The record the others are compared with.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public PSObject ReferenceObject { get; set; } = null!;

        /// <summary>The records compared with -ReferenceObject, one explanation each.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        public PSObject[] DifferenceObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>With -Strategy Probabilistic: a pair matches when its match probability reaches this (0-1, exclusive); default 0.99.</summary>
        [Parameter]
        [ValidateRange(0.000001, 0.999999)]
        public double MatchProbability { get; set; } = 0.99;

        // The probabilistic strategy learns from all the records given: they are explained at the end.
        private readonly List<(MatchKey Key, string? Id)> _pending = new List<(MatchKey, string?)>();

        /// <summary>Resolves the strategy and normalises the reference record once.</summary>
        protected override void BeginProcessing()
        {
            ResolveStrategy();
            if (MatchStrategy.Probabilistic != null) MatchStrategy.Probabilistic.MatchProbability = MatchProbability;
            var reference = RecordConversion.ToRecord(ReferenceObject, null);
            if (reference == null)
            {
                ThrowTerminatingError(Errors.Create(new ArgumentException("-ReferenceObject is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, ReferenceObject));
            }
            _reference = MatchStrategy.Normalise(reference!);
        }

        /// <summary>Explains each pair.</summary>
        protected override void ProcessRecord()
        {
            foreach (var item in DifferenceObject)
            {
                _seen++;
                var record = RecordConversion.ToRecord(item, null);
                if (record == null)
                {
                    WriteError(Errors.Create(new ArgumentException($"Input {_seen} is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                var key = MatchStrategy.Normalise(record);
                if (MatchStrategy.Probabilistic != null) { _pending.Add((key, record.Id)); continue; }
                WriteObject(new CrmMatchExplanation(new MatchExplanation(MatchStrategy, _reference!, key), _reference!.Record.Id, record.Id));
            }
        }
    }

    public sealed partial class TestCrmMatchCommand
    {
        /// <summary>The probabilistic strategy: learns m, u and the prior from the reference and every compared record (the default parameters when they are too few), then explains each pair.</summary>
        protected override void EndProcessing()
        {
            if (MatchStrategy.Probabilistic == null || _pending.Count == 0) return;
            var keys = new List<MatchKey> { _reference! };
            keys.AddRange(_pending.Select(p => p.Key));
            var model = ProbabilisticModel.Learn(MatchStrategy, keys);
            WriteVerbose("Probabilistic model: " + model.Summary());
            foreach (var (key, id) in _pending)
            {
                WriteObject(new CrmMatchExplanation(new MatchExplanation(MatchStrategy, model, _reference!, key), _reference!.Record.Id, id));
            }
        }
    }

    /// <summary>Why two records do or do not match (Test-CrmMatch).</summary>
    public sealed class CrmMatchExplanation
    {
        internal CrmMatchExplanation(MatchExplanation e, string? referenceId, string? differenceId)
        {
            ReferenceId = referenceId;
            DifferenceId = differenceId;
            Strategy = e.Strategy;
            IsMatch = e.IsMatch;
            Rule = e.Rule;
            Score = e.Score.HasValue ? Math.Round(e.Score.Value, 1) : (double?)null;
            Reason = e.Reason;
            Veto = e.Veto;
            Rules = e.Rules.Select(r => new CrmMatchRuleOutcome(r)).ToArray();
            Conditions = e.Rules.SelectMany(r => r.Conditions.Select(c => new CrmMatchConditionOutcome(r.Rule, c))).ToArray();
            Values = e.Values.Select(v => new CrmMatchValue(e.FieldName(v.Key), v.Value.A, v.Value.B)).ToArray();
            MatchWeight = e.MatchWeight.HasValue ? Math.Round(e.MatchWeight.Value, 2) : (double?)null;
            MatchProbability = e.MatchProbability;
            Weights = e.Weights.Select(w => new CrmMatchFieldWeight(w)).ToArray();
        }

        /// <summary>-Strategy Probabilistic: the match weight in bits (the prior plus every field's weight); null for a rule strategy.</summary>
        public double? MatchWeight { get; }
        /// <summary>-Strategy Probabilistic: the match probability, 1 / (1 + 2^-MatchWeight); null for a rule strategy.</summary>
        public double? MatchProbability { get; }
        /// <summary>-Strategy Probabilistic: every field's comparison level and weight (empty for a rule strategy).</summary>
        public CrmMatchFieldWeight[] Weights { get; }

        /// <summary>The reference record's id.</summary>
        public string? ReferenceId { get; }
        /// <summary>The compared record's id.</summary>
        public string? DifferenceId { get; }
        /// <summary>The strategy.</summary>
        public string Strategy { get; }
        /// <summary>True when a rule held.</summary>
        public bool IsMatch { get; }
        /// <summary>The best rule that held (null when none).</summary>
        public string? Rule { get; }
        /// <summary>Its score, 0-100 (null when none held).</summary>
        public double? Score { get; }
        /// <summary>The decision in words.</summary>
        public string Reason { get; }
        /// <summary>The veto that rejected a pair a rule matched (contradicting evidence: a different mailbox at one domain, different names), or null.</summary>
        public string? Veto { get; }
        /// <summary>Every rule: held or not, its score.</summary>
        public CrmMatchRuleOutcome[] Rules { get; }
        /// <summary>Every condition of every rule, flattened.</summary>
        public CrmMatchConditionOutcome[] Conditions { get; }
        /// <summary>The normalised values of the fields the strategy reads.</summary>
        public CrmMatchValue[] Values { get; }
    }

    /// <summary>One rule evaluated on a pair.</summary>
    public sealed class CrmMatchRuleOutcome
    {
        internal CrmMatchRuleOutcome(RuleOutcome r)
        {
            Rule = r.Rule;
            Matched = r.Matched;
            Score = r.Score.HasValue ? Math.Round(r.Score.Value, 1) : (double?)null;
            FailedConditions = string.Join(", ", r.Conditions.Where(c => !c.Passed).Select(c => c.Condition.FieldName));
        }

        /// <summary>The rule's name.</summary>
        public string Rule { get; }
        /// <summary>Whether every condition held.</summary>
        public bool Matched { get; }
        /// <summary>The rule's score when it held.</summary>
        public double? Score { get; }
        /// <summary>The fields whose condition failed.</summary>
        public string FailedConditions { get; }
    }

    /// <summary>One condition of a rule evaluated on a pair.</summary>
    public sealed class CrmMatchConditionOutcome
    {
        internal CrmMatchConditionOutcome(string rule, ConditionOutcome c)
        {
            Rule = rule;
            Field = c.Condition.FieldName;
            Method = c.Condition.Method.ToString() + (c.Condition.Characters > 0 ? "(" + c.Condition.Characters + ")" : string.Empty);
            Threshold = c.Condition.Threshold;
            ReferenceValue = c.ValueA;
            DifferenceValue = c.ValueB;
            Score = Math.Round(c.Score, 1);
            Passed = c.Passed;
            Transposed = c.Transposed;
        }

        /// <summary>The rule.</summary>
        public string Rule { get; }
        /// <summary>The field.</summary>
        public string Field { get; }
        /// <summary>The comparison method.</summary>
        public string Method { get; }
        /// <summary>The score it must reach.</summary>
        public double Threshold { get; }
        /// <summary>The reference record's normalised value.</summary>
        public string ReferenceValue { get; }
        /// <summary>The compared record's normalised value (its other name field when transposed).</summary>
        public string DifferenceValue { get; }
        /// <summary>The score, 0-100.</summary>
        public double Score { get; }
        /// <summary>Whether it reached the threshold.</summary>
        public bool Passed { get; }
        /// <summary>First and last name were compared swapped.</summary>
        public bool Transposed { get; }
    }

    /// <summary>A field's normalised value in both records.</summary>
    public sealed class CrmMatchValue
    {
        internal CrmMatchValue(string field, string reference, string difference)
        {
            Field = field;
            ReferenceValue = reference;
            DifferenceValue = difference;
        }

        /// <summary>The logical field.</summary>
        public string Field { get; }
        /// <summary>The reference record's normalised value.</summary>
        public string ReferenceValue { get; }
        /// <summary>The compared record's normalised value.</summary>
        public string DifferenceValue { get; }
    }
}

namespace LeadTools.PowerShell.Commands
{
    /// <summary>One field's weight in a probabilistic match (Test-CrmMatch -Strategy Probabilistic).</summary>
    public sealed class CrmMatchFieldWeight
    {
        internal CrmMatchFieldWeight(FieldWeight w)
        {
            Field = w.Field;
            Level = w.Level;
            Weight = Math.Round(w.Weight, 2);
            TermFrequencyAdjustment = Math.Round(w.TermFrequencyAdjustment, 2);
            ReferenceValue = w.ValueA;
            DifferenceValue = w.ValueB;
        }

        /// <summary>The field (Address: street, postal code and city together).</summary>
        public string Field { get; }
        /// <summary>The comparison level reached ("blank": no evidence, weight 0).</summary>
        public string Level { get; }
        /// <summary>The weight in bits, log2(m/u) of the level, term-frequency adjustment included.</summary>
        public double Weight { get; }
        /// <summary>Of Weight, the term-frequency adjustment (a common value weighs less than a rare one).</summary>
        public double TermFrequencyAdjustment { get; }
        /// <summary>The reference record's normalised value.</summary>
        public string ReferenceValue { get; }
        /// <summary>The compared record's normalised value.</summary>
        public string DifferenceValue { get; }
    }
}
